import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ts as Ts } from 'ts-morph';
import { requireWithCodeCache } from '../engine/code-cache.js';

/*
 * The TypeScript compiler ts-morph ships (`@ts-morph/common/dist/typescript.js`), loaded without
 * ts-morph's project layer (issue 21). connlint parses one file at a time into the compiler's syntax
 * tree and needs nothing else of ts-morph: loading its wrapper (ts-morph.js and ts-morph-common.js,
 * 4 MB more) cost ≈ 50 ms and ≈ 40 MiB per run. The compiler is loaded through V8's code cache
 * (src/engine/code-cache.ts). Should ts-morph ever ship its compiler elsewhere, `require('ts-morph').ts`
 * is used, the same compiler by another road.
 */

const require = createRequire(import.meta.url);

/** How the compiler was found: ts-morph's own file (with the code cache's answer) or through ts-morph. */
export const compilerLoad: { road: 'ts-morph-compiler-file' | 'ts-morph'; cache: string } = { road: 'ts-morph', cache: 'off' };

function loadCompiler(): typeof Ts {
  let file: string | undefined;
  try {
    const morph = dirname(require.resolve('ts-morph/package.json'));
    const common = dirname(createRequire(join(morph, 'package.json')).resolve('@ts-morph/common/package.json'));
    file = join(common, 'dist', 'typescript.js');
  } catch {
    file = undefined;
  }
  if (file) {
    try {
      const loaded = requireWithCodeCache(file);
      const compiler = loaded.exports as typeof Ts;
      if (typeof compiler?.createSourceFile === 'function') {
        compilerLoad.road = 'ts-morph-compiler-file';
        compilerLoad.cache = loaded.cache;
        return compiler;
      }
    } catch {
      // Not there, or not the compiler: take it through ts-morph.
    }
  }
  return (require('ts-morph') as { ts: typeof Ts }).ts;
}

export const ts: typeof Ts = loadCompiler();

/** The compiler's types connlint names, under the same `ts.` prefix as its values. */
export declare namespace ts {
  type ArrayLiteralExpression = Ts.ArrayLiteralExpression;
  type ArrowFunction = Ts.ArrowFunction;
  type BinaryExpression = Ts.BinaryExpression;
  type BindingName = Ts.BindingName;
  type CallExpression = Ts.CallExpression;
  type ConditionalExpression = Ts.ConditionalExpression;
  type DiagnosticWithLocation = Ts.DiagnosticWithLocation;
  type ElementAccessExpression = Ts.ElementAccessExpression;
  type Expression = Ts.Expression;
  type ExpressionStatement = Ts.ExpressionStatement;
  type FunctionLikeDeclaration = Ts.FunctionLikeDeclaration;
  type Identifier = Ts.Identifier;
  type NewExpression = Ts.NewExpression;
  type Node = Ts.Node;
  type NodeArray<T extends Ts.Node> = Ts.NodeArray<T>;
  type NodeFlags = Ts.NodeFlags;
  type NumericLiteral = Ts.NumericLiteral;
  type ObjectLiteralExpression = Ts.ObjectLiteralExpression;
  type ParenthesizedExpression = Ts.ParenthesizedExpression;
  type PrefixUnaryExpression = Ts.PrefixUnaryExpression;
  type PropertyAccessExpression = Ts.PropertyAccessExpression;
  type PropertyName = Ts.PropertyName;
  type ScriptKind = Ts.ScriptKind;
  type ScriptTarget = Ts.ScriptTarget;
  type SourceFile = Ts.SourceFile;
  type Statement = Ts.Statement;
  type StringLiteral = Ts.StringLiteral;
  type SyntaxKind = Ts.SyntaxKind;
  type TemplateExpression = Ts.TemplateExpression;
  type TypeOfExpression = Ts.TypeOfExpression;
  type VariableStatement = Ts.VariableStatement;
}
