/**
 * Apache Kafka's broker jars from Maven Central, resolved once into Herald's cache with Maven, and
 * the Java that runs them.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { withFileLock } from '../file-lock.js';
import { heraldCacheDir } from '../temporal-cli.js';
import { onPath, secondsSince } from './broker-process.js';
import { BrokerInstallError, runInstallStep } from './install-step.js';

export const KAFKA_VERSION = '4.4.0';
/** Kafka logs through SLF4J 1.x; without a binding its errors would be silent. Matches the log4j-core Kafka pulls in. */
const LOG4J_VERSION = '2.25.5';
const READY_MARKER = '.herald-ready';
const HINT = 'Install Maven (mvn) and Java 17+, set HERALD_KAFKA_LIBS to a directory holding the broker jars, or set KAFKA_BROKERS to an existing broker.';

export interface KafkaInstallation {
  readonly java: string;
  /** A `-cp` value: every jar of the broker and its runtime dependencies. */
  readonly classpath: string;
}

/** HERALD_JAVA, then JAVA_HOME, then `java` on PATH; Kafka 4 brokers need Java 17 or later. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HERALD_JAVA) return env.HERALD_JAVA;
  if (env.JAVA_HOME && existsSync(join(env.JAVA_HOME, 'bin', 'java'))) return join(env.JAVA_HOME, 'bin', 'java');
  return onPath('java');
}

/** The POM whose runtime dependency set is the broker: Maven resolves it the way Kafka's own build does. */
function resolverPom(): string {
  const dependency = (groupId: string, artifactId: string, version: string) =>
    `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.herald</groupId><artifactId>kafka-broker-jars</artifactId><version>${KAFKA_VERSION}</version><packaging>pom</packaging>
  <dependencies>
    ${dependency('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/**
 * The broker's classpath: HERALD_KAFKA_LIBS, else `<cache>/kafka/kafka-<version>/libs`, filled by
 * `mvn dependency:copy-dependencies` when missing (about 40 s and 45 MB, once per machine).
 * Concurrent first runs resolve once: the others wait on a lock in the cache.
 */
export async function ensureKafka(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<KafkaInstallation> {
  const java = findJava(env);
  if (!java) throw new BrokerInstallError('Kafka', 'no java on PATH (HERALD_JAVA, JAVA_HOME)', HINT);
  if (env.HERALD_KAFKA_LIBS) return { java, classpath: join(env.HERALD_KAFKA_LIBS, '*') };
  const home = join(heraldCacheDir(), 'kafka');
  const installDir = join(home, `kafka-${KAFKA_VERSION}`);
  const installation = { java, classpath: join(installDir, 'libs', '*') };
  if (existsSync(join(installDir, READY_MARKER))) return installation;

  const mvn = env.HERALD_MVN ?? onPath('mvn');
  if (!mvn) throw new BrokerInstallError('Kafka', 'the broker jars are not in the cache and there is no mvn on PATH', HINT);
  mkdirSync(home, { recursive: true });
  return withFileLock(join(home, `.kafka-${KAFKA_VERSION}.lock`), async () => {
    if (existsSync(join(installDir, READY_MARKER))) return installation; // by the process we waited for
    const started = Date.now();
    logger.info({ into: installDir }, `resolving the Kafka ${KAFKA_VERSION} broker jars from Maven Central (once per machine)`);
    const staging = `${installDir}.building-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      writeFileSync(join(staging, 'pom.xml'), resolverPom());
      await runInstallStep(mvn, [
        '-q', '-B', '-f', join(staging, 'pom.xml'), 'dependency:copy-dependencies',
        '-DincludeScope=runtime', `-DoutputDirectory=${join(staging, 'libs')}`,
      ], { cwd: staging });
      writeFileSync(join(staging, READY_MARKER), `kafka_2.13 ${KAFKA_VERSION}\n`);
      rmSync(installDir, { recursive: true, force: true });
      renameSync(staging, installDir);
    } catch (error) {
      logger.error({ err: error }, 'resolving the Kafka broker jars failed');
      throw new BrokerInstallError('Kafka', 'mvn dependency:copy-dependencies failed (see the log)', HINT);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    logger.info({ seconds: secondsSince(started) }, 'Kafka broker jars resolved');
    return installation;
  });
}
