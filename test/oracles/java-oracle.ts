/**
 * Runs the single-file Java oracles in test/oracles/ (`java File.java args`, Java 11+ source launch).
 * A missing `java` or jar is a test failure with the fix in the message, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/oracles/java-oracle.js. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const HIKARI_JARS = ['/usr/share/java/HikariCP.jar', '/usr/share/java/slf4j-api.jar', '/usr/share/java/slf4j-nop.jar'];

export type PropertiesOracleResult = { ok: true; entries: Record<string, string> } | { ok: false; error: string };
export type HikariOracleResult = ({ ok: true } & Record<string, number>) | { ok: false; error: string };

function runJava(args: string[]): string {
  const result = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(
      `cannot run 'java' (${result.error.message}): the differential tests need a JDK 17+ on PATH (apt-get install openjdk-17-jdk-headless)`,
    );
  }
  if (result.status !== 0) throw new Error(`java ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** java.util.Properties.load(InputStream) of each file, keyed by the path given. */
export function loadWithJava(files: string[]): Record<string, PropertiesOracleResult> {
  return JSON.parse(runJava([path.join(repoRoot, 'test/oracles/PropertiesDump.java'), ...files])) as Record<string, PropertiesOracleResult>;
}

/** new HikariConfig(props).validate() with the Debian HikariCP 2.7.9 jar, keyed by the path given. */
export function validateWithHikari(files: string[]): Record<string, HikariOracleResult> {
  const missing = HIKARI_JARS.filter((jar) => !existsSync(jar));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: apt-get install libhikaricp-java libslf4j-java (HikariCP 2.7.9 is the oracle)`);
  }
  const out = runJava(['-cp', HIKARI_JARS.join(':'), path.join(repoRoot, 'test/oracles/HikariEffective.java'), ...files]);
  return JSON.parse(out) as Record<string, HikariOracleResult>;
}
