import type { SandboxClock } from "./kit/clock.js";
import { newControlToken } from "./kit/control.js";
import { startVendorServer, type VendorServer } from "./kit/server.js";
import { createEiamSimulator } from "./eiam/simulator.js";
import { createEnosSimulator } from "./enos/simulator.js";
import { createZStackSimulator } from "./zstack/simulator.js";

export { isLoopbackHost } from "./kit/host.js";
export {
  startVendorServer,
  CONTROL_PREFIX,
  CONTROL_TOKEN_HEADER,
  MAX_BODY_BYTES,
  type VendorServer,
  type VendorServerOptions,
} from "./kit/server.js";
export { ManualClock, systemClock, type SandboxClock } from "./kit/clock.js";
export type { FaultSpec, RecordedRequest, SimReply, SimRequest, SpecViolation, VendorSimulator } from "./kit/types.js";
export { createZStackSimulator, createEiamSimulator, createEnosSimulator };

type ZStackSimulator = ReturnType<typeof createZStackSimulator>;
type EiamSimulator = ReturnType<typeof createEiamSimulator>;
type EnosSimulator = ReturnType<typeof createEnosSimulator>;

export interface SandboxOptions {
  /** Default 127.0.0.1. Anything else exposes the simulators (and their fixed credentials) to the network. */
  host?: string;
  /**
   * 0 (default): every simulator on a free port. N: ZStack on N, EIAM on N+1, EnOS on N+2.
   */
  port?: number;
  /**
   * The clock all three simulators read (token, session and job expiry, EIAM notice status, the
   * daily quota). Default real time. Pass a `ManualClock` to step these state machines yourself:
   * `clock.advance(1000)` instead of sleeping, so a test cannot race a loaded machine.
   */
  clock?: SandboxClock;
  /** The token `/__sandbox/*` requests must carry (≥ 16 characters). Default: a fresh random one per run. */
  controlToken?: string;
  zstack?: Parameters<typeof createZStackSimulator>[0];
  eiam?: Parameters<typeof createEiamSimulator>[0];
  enos?: Parameters<typeof createEnosSimulator>[0];
}

export interface Sandbox {
  /** Pass to `createSignalBridge(sandbox.config)`: base URLs and the sandbox's credentials. */
  readonly config: {
    zstack: { baseUrl: string } & ZStackSimulator["credentials"];
    eiam: { baseUrl: string } & EiamSimulator["credentials"];
    enos: { baseUrl: string } & EnosSimulator["credentials"];
  };
  /** Ids the demo and tests can use (seeded endpoints, app ids, users). */
  readonly fixtures: {
    zstack: ZStackSimulator["fixtures"];
    eiam: EiamSimulator["fixtures"];
    enos: EnosSimulator["fixtures"];
  };
  /** Each simulator's server: url, requests, addFault, state, reset, expireTokens. */
  readonly zstack: VendorServer & { simulator: ZStackSimulator };
  readonly eiam: VendorServer & { simulator: EiamSimulator };
  readonly enos: VendorServer & { simulator: EnosSimulator };
  /**
   * This run's control-plane token: HTTP requests to `/__sandbox/*` on any of the three servers
   * must send it in the `x-sandbox-token` header (or `?token=`), else 401/403.
   */
  readonly controlToken: string;
  close(): Promise<void>;
}

/** Start the three vendor simulators on loopback. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const port = (offset: number) => (options.port ? options.port + offset : 0);
  const clocked = <T extends { clock?: SandboxClock }>(o: T | undefined): T =>
    ({ ...(options.clock ? { clock: options.clock } : {}), ...o }) as T;
  const zstackSim = createZStackSimulator(clocked(options.zstack));
  const eiamSim = createEiamSimulator(clocked(options.eiam));
  const enosSim = createEnosSimulator(clocked(options.enos));
  const controlToken = options.controlToken ?? newControlToken();
  const started: VendorServer[] = [];
  try {
    started.push(await startVendorServer(zstackSim, { host, port: port(0), controlToken }));
    started.push(await startVendorServer(eiamSim, { host, port: port(1), controlToken }));
    started.push(await startVendorServer(enosSim, { host, port: port(2), controlToken }));
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
  const [zstack, eiam, enos] = started as [VendorServer, VendorServer, VendorServer];
  return {
    config: {
      zstack: { baseUrl: zstack.url, ...zstackSim.credentials },
      eiam: { baseUrl: eiam.url, ...eiamSim.credentials },
      enos: { baseUrl: enos.url, ...enosSim.credentials },
    },
    fixtures: { zstack: zstackSim.fixtures, eiam: eiamSim.fixtures, enos: enosSim.fixtures },
    zstack: zstack as Sandbox["zstack"],
    eiam: eiam as Sandbox["eiam"],
    enos: enos as Sandbox["enos"],
    controlToken,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
