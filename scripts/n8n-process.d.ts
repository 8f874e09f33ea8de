/** Types of scripts/n8n-process.js, for the TypeScript runner code that drives it (test/queue). */
import type { ChildProcess } from 'node:child_process';

export interface Host {
	userFolder: string;
	port: number;
	brokerPort: number;
}

export type N8nChild = ChildProcess & {
	logOffset: number;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type N8nEnv = Record<string, string | undefined>;

export class SetupError extends Error {}
export const REPO: string;
export const MAIN_READY_LINE: string;
export function seconds(ms: number): string;
export function sleep(ms: number): Promise<void>;
export function firstBusyPort(ports: Array<[string, number]>): Promise<[string, number] | null>;
export function n8nCli(host: Host, env: N8nEnv, args: string[]): string;
export function startN8n(host: Host, env: N8nEnv, logFile: string, args?: string[]): N8nChild;
export function waitForN8n(
	child: N8nChild,
	n8nUrl: string,
	logFile: string,
	timeoutMs: number,
	readyLine?: string | null,
): Promise<void>;
export function stopN8n(child: N8nChild | undefined, log: (message: string) => void): Promise<void>;
