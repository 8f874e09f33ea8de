/** The benchmark's HTTP client: POSTs with keep-alive, and a fixed number of them at a concurrency. */
import * as http from 'node:http';

import type { Headers } from '../../test/simulator/types';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One POST; resolves with the answer's status code once its body has been read. `via` false opens
 * a connection of its own: for a single request after a long pause, when a kept-alive socket may be
 * closing on n8n's side just as it is reused ("socket hang up").
 */
export function post(
	url: string,
	body: Buffer,
	headers: Headers = {},
	via: http.Agent | false = agent,
): Promise<number | undefined> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent: via,
				headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
				timeout: 120000,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout POST ${url}`)));
		req.on('error', reject);
		req.end(body);
	});
}

export interface LoadResult {
	/** When the first request was sent and the last answered (Date.now()). */
	t0: number;
	t1: number;
	/** How many answers had each status code. */
	statuses: Record<string, number>;
}

/** `count` POSTs with `concurrency` in flight; bodies[i % n]. Returns timing and status counts. */
export async function load(
	url: string,
	bodies: Buffer[],
	count: number,
	concurrency: number,
	headers?: Headers,
): Promise<LoadResult> {
	let next = 0;
	const statuses: Record<string, number> = {};
	const t0 = Date.now();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const status = String(await post(url, bodies[i % bodies.length], headers));
			statuses[status] = (statuses[status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return { t0, t1: Date.now(), statuses };
}
