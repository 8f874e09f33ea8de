'use strict';
/** The benchmark's HTTP client: POSTs with keep-alive, and a fixed number of them at a concurrency. */
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
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

/** `count` POSTs with `concurrency` in flight; bodies[i % n]. Returns timing and status counts. */
async function load(url, bodies, count, concurrency, headers) {
	let next = 0;
	const statuses = {};
	const t0 = Date.now();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const status = await post(url, bodies[i % bodies.length], headers);
			statuses[status] = (statuses[status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return { t0, t1: Date.now(), statuses };
}

module.exports = { agent, post, load };
