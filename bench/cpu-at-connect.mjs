// Preloaded (`node --import`) into `wren -p` by the start-up benchmark: writes the process's CPU time
// (user + system, in ms) at its first outgoing connection, the model's request, to file descriptor 3.
// CPU time is what a change to start-up saves; wall time on a shared machine moves with its load.
import { writeSync } from "node:fs";
import net from "node:net";

const connect = net.connect;
let reported = false;
net.connect = function (...args) {
  if (!reported) {
    reported = true;
    const { user, system } = process.cpuUsage();
    try {
      writeSync(3, `${(user + system) / 1000}\n`);
    } catch {
      // No descriptor 3: not run by the benchmark.
    }
  }
  return connect.apply(this, args);
};
