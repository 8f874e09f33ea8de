/**
 * The parts of scripts/n8n-host.sh that read or write JSON, in one typed place: which n8n and Node
 * a run uses (scripts/n8n-host.json), whether an installed n8n loads its native modules, the
 * package.json edits of n8n's community-package installer, and the environment n8n runs with.
 * n8n-host.sh calls it as `node -r scripts/register-ts.js scripts/n8n-host-helper.ts <command> ...`; the
 * runners import readHostConfig() directly.
 *
 * Commands (one line of output each unless said otherwise):
 *   entry                          the chosen entry: n8n, Node, overrides (JSON), env (JSON), one a line
 *   check-n8n <n8nDir> <version>   exit 0 if n8n <version> is installed there and sqlite3 (and
 *                                  isolated-vm, when installed) load with this Node; run it with the
 *                                  host's Node
 *   paths-json KEY=value...        the paths as a JSON object ("true"/"false" become booleans)
 *   pack-filename                  the file name from `npm pack --json` on stdin
 *   package-name                   the name from a package.json on stdin
 *   strip-package <package.json>   drop devDependencies, peerDependencies and optionalDependencies
 *   record-package <nodes/package.json> <name> <package.json>
 *                                  record the installed version in n8n's nodes/package.json
 *   env-lines                      the chosen entry's own environment, KEY=value lines
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const HOST_CONFIG = path.join(__dirname, 'n8n-host.json');

/** One n8n of scripts/n8n-host.json and the Node it runs on. */
export interface HostEntry {
	n8n: string;
	node: string;
	/** npm overrides for the install (a dependency outside the registry). */
	overrides?: Record<string, string>;
	/** Environment of this version's n8n on top of the defaults. */
	env?: Record<string, string>;
	why?: string;
}

export interface HostConfig extends HostEntry {
	compat: HostEntry[];
}

export function readHostConfig(): HostConfig {
	return JSON.parse(fs.readFileSync(HOST_CONFIG, 'utf8')) as HostConfig;
}

/** The entry N8N_HOST_VERSION names (default: the top-level one). */
export function hostEntry(want = process.env.N8N_HOST_VERSION): HostEntry {
	const config = readHostConfig();
	const entry = !want || want === config.n8n ? config : config.compat.find((e) => e.n8n === want);
	if (!entry) {
		const known = [config.n8n, ...config.compat.map((e) => e.n8n)].join(', ');
		throw new Error(`N8N_HOST_VERSION=${want} is not in ${HOST_CONFIG} (${known})`);
	}
	return entry;
}

/** Loads the native modules n8n needs with the running Node: they must be built for its ABI. */
function checkN8n(n8nDir: string, version: string): void {
	// n8n's own modules, from its install folder, as n8n itself loads them.
	const load: (name: string) => unknown = createRequire(path.join(n8nDir, 'package.json'));
	const pkg = load('n8n/package.json') as { version: string };
	if (pkg.version !== version) throw new Error(`n8n ${pkg.version} installed, ${version} wanted`);
	const sqlite3 = load('sqlite3') as { Database: new (file: string) => { close(): void } };
	new sqlite3.Database(':memory:').close();
	if (fs.existsSync(path.join(n8nDir, 'node_modules', 'isolated-vm'))) {
		const ivm = load('isolated-vm') as { Isolate: new (options: { memoryLimit: number }) => { dispose(): void } };
		new ivm.Isolate({ memoryLimit: 16 }).dispose();
	}
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const stdinJson = <T>(): T => JSON.parse(fs.readFileSync(0, 'utf8')) as T;

/** What n8n's installer keeps of the package's package.json before `npm install`. */
function stripPackage(file: string): void {
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = readJson<Record<string, unknown>>(file);
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
}

/** n8n lists its installed community packages in nodes/package.json. */
function recordPackage(ledger: string, name: string, pkgJson: string): void {
	let data: { dependencies: Record<string, string> } & Record<string, unknown> = {
		name: 'installed-nodes',
		private: true,
		dependencies: {},
	};
	try {
		const old = readJson<typeof data | null>(ledger);
		if (old && old.dependencies) data = old;
	} catch {
		// no ledger yet
	}
	data.dependencies[name] = readJson<{ version: string }>(pkgJson).version;
	fs.writeFileSync(ledger, JSON.stringify(data, null, 2));
}

function pathsJson(pairs: string[]): string {
	const parsed = pairs.map((pair): [string, string | boolean] => {
		const i = pair.indexOf('=');
		const value = pair.slice(i + 1);
		return [pair.slice(0, i), value === 'true' ? true : value === 'false' ? false : value];
	});
	return JSON.stringify(Object.fromEntries(parsed), null, 2);
}

function main(argv: string[]): void {
	const [command, ...args] = argv;
	switch (command) {
		case 'entry': {
			const entry = hostEntry();
			console.log([entry.n8n, entry.node, JSON.stringify(entry.overrides ?? {}), JSON.stringify(entry.env ?? {})].join('\n'));
			return;
		}
		case 'check-n8n':
			return checkN8n(args[0], args[1]);
		case 'paths-json':
			return console.log(pathsJson(args));
		case 'pack-filename':
			return console.log(stdinJson<Array<{ filename: string }>>()[0].filename);
		case 'package-name':
			return console.log(stdinJson<{ name: string }>().name);
		case 'strip-package':
			return stripPackage(args[0]);
		case 'record-package':
			return recordPackage(args[0], args[1], args[2]);
		case 'env-lines':
			for (const [key, value] of Object.entries(hostEntry().env ?? {})) console.log(`${key}=${value}`);
			return;
		default:
			throw new Error(`unknown command ${String(command)} (see the head of scripts/n8n-host-helper.ts)`);
	}
}

if (require.main === module) {
	try {
		main(process.argv.slice(2));
	} catch (error) {
		console.error(`[n8n-host] ERROR: ${(error as Error).message}`);
		process.exit(1);
	}
}
