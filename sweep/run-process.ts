/**
 * Entry of a sweep's child process (see process-pool.ts): receives one run task at a time over IPC,
 * runs it with `runTask` and sends back its result, or the message of what it threw. It ends when
 * the parent disconnects.
 */
import type { ChildReply } from './process-pool.ts';
import runTask, { errorText, type RunTask } from './worker.ts';

process.on('message', (task: RunTask) => {
  runTask(task).then(
    (result) => reply({ result }),
    (err: unknown) => reply({ thrown: errorText(err) }),
  );
});

function reply(m: ChildReply): void {
  process.send?.(m);
}

process.on('disconnect', () => process.exit(0));
