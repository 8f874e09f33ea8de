/**
 * CPU time of an n8n process group (n8n and its task runner), read from Linux's /proc. The rate of
 * a phase swings with whatever else the machine does; the CPU time n8n spends per request does much
 * less, so it says more steadily what a request costs n8n.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's times (100 on Linux, but asked rather than assumed). */
function clockTicks(): number {
	ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	return ticksPerSecond;
}

/**
 * User + system CPU milliseconds of every live process in process group `group` (n8n is started
 * as a group leader); NaN where there is no /proc. A process that exited meanwhile no longer counts,
 * so compare readings of a group whose processes live across them.
 */
export function groupCpuMs(group: number | undefined): number {
	if (group === undefined || !fs.existsSync('/proc/self/stat')) return NaN;
	let ticks = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited while listed
		}
		// Fields after the command name (which may hold spaces): state ppid pgrp ... utime(14) stime(15).
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) !== group) continue;
		ticks += Number(fields[11]) + Number(fields[12]);
	}
	return (ticks * 1000) / clockTicks();
}
