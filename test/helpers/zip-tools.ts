import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TOOLS, toolsMessage } from './tools.js';

const execTool = promisify(execFile);

/** A tool the tests need, run; when it is not installed, the error says what to install. */
async function run(tool: string, args: string[], options: { maxBuffer: number }) {
  return execTool(tool, args, options).catch((err: NodeJS.ErrnoException) => {
    const missing = err.code === 'ENOENT' ? TOOLS.find((t) => t.name === tool) : undefined;
    throw missing ? new Error(toolsMessage([missing])) : err;
  });
}

/**
 * The zip readers a user has: Info-ZIP, 7-Zip and Python's zipfile. Each must accept every zip
 * picvault writes; each throws with the tool's own output when it does not.
 */
export async function unzipTest(zip: string): Promise<void> {
  const { stdout } = await run('unzip', ['-t', zip], { maxBuffer: 64 << 20 });
  if (!/No errors detected/.test(stdout)) throw new Error(`unzip -t ${zip}: ${stdout.slice(-500)}`);
}

export async function sevenZipTest(zip: string): Promise<void> {
  const { stdout } = await run('7z', ['t', zip], { maxBuffer: 64 << 20 });
  if (!/Everything is Ok/.test(stdout)) throw new Error(`7z t ${zip}: ${stdout.slice(-500)}`);
}

const PY = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
infos = z.infolist()
print(json.dumps({"bad": bad, "count": len(infos), "methods": sorted(set(i.compress_type for i in infos if i.filename != "picvault-manifest.json")),
                  "zip64": any(i.file_size > 0xFFFFFFFF or i.header_offset > 0xFFFFFFFF for i in infos) or len(infos) > 65535}))
`;

export async function pythonZipTest(zip: string): Promise<{ count: number; methods: number[] }> {
  const { stdout } = await run('python3', ['-c', PY, zip], { maxBuffer: 64 << 20 });
  const result = JSON.parse(stdout) as { bad: string | null; count: number; methods: number[] };
  if (result.bad !== null) throw new Error(`python zipfile: bad entry ${result.bad} in ${zip}`);
  return result;
}

export async function allZipToolsAccept(zip: string): Promise<void> {
  await unzipTest(zip);
  await sevenZipTest(zip);
  const py = await pythonZipTest(zip);
  // SPEC: images are stored, never recompressed (method 0); only the manifest (text) is deflated.
  if (py.methods.some((m) => m !== 0)) throw new Error(`${zip} has compressed image entries: ${py.methods}`);
}
