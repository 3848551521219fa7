import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The e2e server's database (see playwright.config.ts): counting rows here checks "stored exactly once".
const database = path.resolve(__dirname, '../../target/e2e/e2e.db');

/** How many stored submissions have this exact title. */
export function countSubmissions(title: string): number {
  const script =
    'import sqlite3, sys\n' +
    'db = sqlite3.connect(sys.argv[1])\n' +
    'print(db.execute("SELECT COUNT(*) FROM submissions WHERE title = ?", (sys.argv[2],)).fetchone()[0])';
  return Number(execFileSync('python3', ['-c', script, database, title]).toString().trim());
}
