import type { PreparedMedia } from './prepare.ts';

export interface HostedFile {
  name: string;
  url: string;
}

/** Puts prepared files where Meta can download them, and says at which public URL. */
export interface MediaHost {
  host(files: PreparedMedia[]): Promise<HostedFile[]>;
}

export interface FtpHostSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  directory: string;
  secure: boolean;
  /**
   * FTPS without checking the server's certificate (FTP_INSECURE_TLS=true), for a server with a
   * self-signed certificate. Off by default: unverified TLS lets anyone on the path read the password.
   */
  insecureTls?: boolean;
  /** The public URL of `directory`. */
  httpServer: string;
}
