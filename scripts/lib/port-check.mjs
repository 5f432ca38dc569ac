// Fails with one line naming the variable to change when a port cannot be listened on: Prism
// would print its whole --help, and the server would fail only after opening its database.
import net from 'node:net';

/** Exits the process with a message about `variable` unless `port` on `host` is free. */
export async function exitUnlessPortFree({ variable, hostVariable, port, host, command }) {
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) fail(`${variable} must be a port number from 1 to 65535, not "${port}".`);
  await new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => {
      if (error.code === 'EADDRINUSE')
        fail(`${variable} ${port} is already in use on ${host}: stop what listens there, or choose another port (${variable}=${Number(port) + 1} ${command}).`);
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        fail(`${hostVariable} ${host} is not an address of this machine: use 127.0.0.1 or 0.0.0.0.`);
      fail(`${variable} ${port} on ${host} cannot be listened on (${error.code}): choose another port with ${variable}.`);
    });
    probe.listen({ port: Number(port), host, exclusive: true }, () => probe.close(resolve));
  });
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
