/**
 * Herald's own Apache Kafka on loopback: one KRaft node that is controller and broker at once,
 * formatted afresh on every start (topics and messages live only as long as the process).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import type { Logger } from '../../logger.js';
import { freeLoopbackPort } from '../ports.js';
import { secondsSince, spawnBroker, stopBrokerProcess, tcpAccepts, waitUntilReady } from './broker-process.js';
import { runInstallStep } from './install-step.js';
import { ensureKafka, type KafkaInstallation } from './kafka-install.js';

export interface KafkaServerOptions {
  /** The node's log directories and logs go under `<dataDir>/<port>`, removed on stop. */
  readonly dataDir: string;
  /** The unauthenticated listener's port on 127.0.0.1; the SASL and controller listeners take free ports. */
  readonly port: number;
  readonly logger: Logger;
  /** KAFKA_BROKERS here skips starting a node (see `RunningKafka`). Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

export interface RunningKafka {
  /** `127.0.0.1:<port>`, no authentication (admin and consumers in tests), or KAFKA_BROKERS. */
  readonly brokers: string;
  /**
   * A SASL_PLAINTEXT listener accepting PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for `sasl`
   * (KAFKA_SASL_BROKERS, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD for an existing broker).
   */
  readonly saslBrokers: string;
  readonly sasl: { readonly username: string; readonly password: string };
  /** False when KAFKA_BROKERS named an existing broker. */
  readonly started: boolean;
  stop(): Promise<void>;
}

const SASL_USER = { username: 'herald', password: 'herald-kafka-secret' };
/** The suite shares two cores with other runs: a small heap, the serial collector, quick JIT. */
const JVM_OPTIONS = ['-Xmx256m', '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

/**
 * Starts a Kafka node on 127.0.0.1:`port` (resolving the jars once when missing) and resolves once
 * it serves metadata with itself as a registered broker. `stop` ends its process group.
 */
export async function startKafka(options: KafkaServerOptions): Promise<RunningKafka> {
  const env = options.env ?? process.env;
  if (env.KAFKA_BROKERS) return existingKafka(env, env.KAFKA_BROKERS);
  const { port, logger } = options;
  const started = Date.now();
  const installation = await ensureKafka(logger, env);
  const [saslPort, controllerPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const nodeDir = join(options.dataDir, String(port));
  rmSync(nodeDir, { recursive: true, force: true });
  mkdirSync(nodeDir, { recursive: true });
  const propertiesFile = writeNodeConfig(nodeDir, { port, saslPort, controllerPort });
  await formatStorage(installation, nodeDir, propertiesFile);

  const proc = spawnBroker(installation.java, [
    ...JVM_OPTIONS, `-Dlog4j2.configurationFile=${join(nodeDir, 'log4j2.properties')}`,
    '-cp', installation.classpath, 'kafka.Kafka', propertiesFile,
  ], { cwd: nodeDir, logFile: join(nodeDir, 'kafka.log') });
  const stop = async () => {
    await stopBrokerProcess(proc, 10_000);
    rmSync(nodeDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady('Kafka', proc, () => servesMetadata(port), options.startTimeoutMs ?? 180_000, 200);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port, saslPort, seconds: secondsSince(started) }, 'Kafka node ready');
  let stopping: Promise<void> | undefined;
  return {
    brokers: `127.0.0.1:${port}`,
    saslBrokers: `127.0.0.1:${saslPort}`,
    sasl: SASL_USER,
    started: true,
    stop: () => (stopping ??= stop()),
  };
}

function existingKafka(env: NodeJS.ProcessEnv, brokers: string): RunningKafka {
  return {
    brokers,
    saslBrokers: env.KAFKA_SASL_BROKERS ?? brokers,
    sasl: { username: env.KAFKA_SASL_USERNAME ?? SASL_USER.username, password: env.KAFKA_SASL_PASSWORD ?? SASL_USER.password },
    started: false,
    stop: async () => undefined,
  };
}

function writeNodeConfig(nodeDir: string, ports: { port: number; saslPort: number; controllerPort: number }): string {
  const { port, saslPort, controllerPort } = ports;
  const jaas = (listenerMechanism: string, module: string) =>
    `listener.name.sasl_plaintext.${listenerMechanism}.sasl.jaas.config=${module} required;`;
  const properties = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    // PLAIN users are listed in the JAAS line; SCRAM users are written into the metadata at format time.
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${SASL_USER.username}="${SASL_USER.password}";`,
    jaas('scram-sha-256', 'org.apache.kafka.common.security.scram.ScramLoginModule'),
    jaas('scram-sha-512', 'org.apache.kafka.common.security.scram.ScramLoginModule'),
    `log.dirs=${join(nodeDir, 'data')}`,
    'num.partitions=1',
    // Tests create their topics; a publish to a missing one must fail as it does on a real cluster.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
  ];
  const file = join(nodeDir, 'server.properties');
  writeFileSync(file, `${properties.join('\n')}\n`);
  writeFileSync(join(nodeDir, 'log4j2.properties'), [
    'appender.console.type=Console', 'appender.console.name=console',
    'appender.console.layout.type=PatternLayout', 'appender.console.layout.pattern=[%d] %p %m (%c)%n',
    'rootLogger.level=WARN', 'rootLogger.appenderRef.console.ref=console',
    'logger.server.name=kafka.server.KafkaRaftServer', 'logger.server.level=INFO',
  ].join('\n'));
  return file;
}

/**
 * A random cluster id in Kafka's form: 16 bytes, base64url. One that starts with `-` is drawn again
 * (as Kafka's own `Uuid.randomUuid` does): the storage tool would read it as an option and refuse,
 * which happened to one node in 64.
 */
export function kafkaClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function formatStorage(installation: KafkaInstallation, nodeDir: string, propertiesFile: string): Promise<void> {
  const clusterId = kafkaClusterId();
  const scram = (mechanism: string) => ['--add-scram', `${mechanism}=[name=${SASL_USER.username},password=${SASL_USER.password}]`];
  await runInstallStep(installation.java, [
    ...JVM_OPTIONS, '-cp', installation.classpath, 'kafka.tools.StorageTool',
    'format', '-t', clusterId, '-c', propertiesFile, ...scram('SCRAM-SHA-256'), ...scram('SCRAM-SHA-512'),
  ], { cwd: nodeDir, timeoutMs: 180_000 });
}

/** The node has joined its own cluster once metadata lists a broker (the port opens before that). */
async function servesMetadata(port: number): Promise<boolean> {
  if (!(await tcpAccepts(port))) return false;
  const admin = new Admin({ clientId: 'herald-readiness', bootstrapBrokers: [`127.0.0.1:${port}`], retries: 0, connectTimeout: 1_000, requestTimeout: 2_000 });
  try {
    const metadata = await admin.metadata({ topics: [] });
    return metadata.brokers.size > 0;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}
