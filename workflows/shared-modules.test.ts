import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../src/temporal/worker.js';

/**
 * The workflow modules are evaluated once per worker and shared by every workflow it runs
 * (`sharedWorkflowModules` in src/temporal/worker.ts). A module-level variable, Map or cache would
 * then carry one workflow's state into the next, and a replay would see another run's values:
 * nondeterminism no test of a single workflow shows. So the top level of every module the
 * workflows load keeps to declarations, constants and the SDK's definition helpers.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A file name for snippets the checks are tried on; never read. */
const probe = resolve(repoRoot, 'workflows', '__probe__.ts');

/** Calls whose result holds no state of the module's own: definitions and activity proxies. */
const INERT_CALLS = new Set(['defineSignal', 'defineQuery', 'defineUpdate', 'defineSearchAttributeKey', 'proxyActivities', 'proxyLocalActivities']);

/** The workflows entry and every module it imports at run time (relative imports, not `import type`). */
function workflowModules(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const isImport = ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly;
      const isReExport = ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier !== undefined;
      if (!isImport && !isReExport) continue;
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (!specifier.startsWith('.')) continue;
      if (ts.isImportDeclaration(statement) && onlyTypes(statement)) continue;
      visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return [...seen];
}

/** `import { type A, type B } from …`: erased like `import type`. */
function onlyTypes(statement: ts.ImportDeclaration): boolean {
  const bindings = statement.importClause?.namedBindings;
  return statement.importClause?.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function inert(node: ts.Expression): boolean {
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) {
    // `[…] as const` is a readonly literal; other assertions look through to what they assert.
    if (ts.isAsExpression(node) && ts.isTypeReferenceNode(node.type) && node.type.getText() === 'const') return literal(node.expression);
    return inert(node.expression);
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    return ts.isIdentifier(callee) && INERT_CALLS.has(callee.text);
  }
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) || ts.isPropertyAccessExpression(node) || ts.isIdentifier(node) ||
    (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand));
}

/** A literal made of literals (the operand of `as const`). */
function literal(node: ts.Expression): boolean {
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((e) => literal(e));
  if (ts.isObjectLiteralExpression(node)) return node.properties.every((p) => ts.isPropertyAssignment(p) && literal(p.initializer));
  return inert(node);
}

/** What in a module's top level could hold state: `let`/`var`, a constant that is not inert, a statement that runs code. */
function statefulTopLevel(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${relative(repoRoot, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) {
        found.push(`${at(statement)} a module-level let/var`);
        continue;
      }
      for (const d of statement.declarationList.declarations) {
        if (!d.initializer || !inert(d.initializer)) found.push(`${at(d)} ${d.name.getText()} is not a constant or a definition`);
      }
    } else if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (ts.isPropertyDeclaration(member) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
          found.push(`${at(member)} a static class field`);
        }
      }
    } else if (ts.isExpressionStatement(statement) || ts.isIfStatement(statement) || ts.isForStatement(statement) ||
      ts.isForOfStatement(statement) || ts.isWhileStatement(statement) || ts.isBlock(statement) ||
      (ts.isEnumDeclaration(statement) && !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ConstKeyword))) {
      found.push(`${at(statement)} code that runs at module load`);
    }
  }
  return found;
}

describe('workflow modules shared by every workflow of a worker', () => {
  const modules = workflowModules(workflowsPath);

  it('when the workflows entry is followed through its imports, then every workflow module is found', () => {
    const names = modules.map((m) => relative(repoRoot, m));
    expect(names).toEqual(expect.arrayContaining(['workflows/delivery.ts', 'workflows/destination-health.ts', 'workflows/operator-events.ts', 'src/domain/retry-schedule.ts']));
  });

  it('when a workflow module is read, then its top level holds no state of its own', () => {
    expect(modules.flatMap((m) => statefulTopLevel(m))).toEqual([]);
  });

  it.each([
    ['let counter = 0;', 'a module-level let/var'],
    ['const seen = new Map<string, number>();', 'seen is not a constant or a definition'],
    ['const cache = {};', 'cache is not a constant or a definition'],
    ['console.log("loaded");', 'code that runs at module load'],
    ['export class Counter { static count = 0; }', 'a static class field'],
  ])('when a module says %s, then it is reported', (code, problem) => {
    expect(statefulTopLevel(probe, code)).toEqual([`workflows/__probe__.ts:1 ${problem}`]);
  });

  it.each([
    "export const RETRY = 'retry';",
    'const LIMIT = 5000;',
    'export const LEVELS = [50, 70, 90, 100] as const;',
    "export const retrySignal = defineSignal<[string]>('retry');",
    "const { send } = proxyActivities<A>({ startToCloseTimeout: '1m' });",
  ])('when a module says %s, then nothing is reported', (code) => {
    expect(statefulTopLevel(probe, code)).toEqual([]);
  });
});
