import type { InstagramSettings } from '../instagram/settings.ts';
import { failed, messageOf, passed, ProbeError, skipped, type CheckResult } from './check.ts';
import { settingsHome } from './config-checks.ts';
import type { DoctorProbes } from './probes.ts';

/**
 * Media hosting as the publisher uses it: the FTP login works, a file uploaded to FTP_DIRECTORY
 * can be written, and HTTP_SERVER serves it back (the URL Meta will download from).
 *
 * @example
 * await checkMediaHost(instagram, { deployed: false, probe: probes.ftp });
 */
export async function checkMediaHost(
  instagram: InstagramSettings,
  options: { deployed: boolean; probe: DoctorProbes['ftp'] },
): Promise<CheckResult[]> {
  const ftp = instagram.ftp;
  if (!ftp)
    return [skipped('ftp', 'not configured (FTP_SERVER and HTTP_SERVER unset): posts cannot be hosted')];
  const home = settingsHome(options.deployed);
  const at = `${ftp.host}:${ftp.port}`;
  let facts: Awaited<ReturnType<DoctorProbes['ftp']>>;
  try {
    facts = await options.probe(ftp);
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'unreachable';
    const why = messageOf(error);
    if (kind === 'rejected') {
      return [
        failed(
          'ftp',
          `${at} refused the login of "${ftp.user}" (${why})`,
          `set FTP_USERNAME and FTP_PASSWORD in ${home} to the FTP account's`,
        ),
      ];
    }
    if (kind === 'invalid') {
      return [
        failed(
          'ftp',
          `FTPS to ${at}: ${why}`,
          'give the server a certificate from a trusted CA, or set FTP_INSECURE_TLS=true to skip the check',
        ),
      ];
    }
    if (kind === 'missing') {
      return [
        failed(
          'ftp',
          `cannot write to ${ftp.directory} on ${at} (${why})`,
          `set FTP_DIRECTORY in ${home} to a folder the FTP user may write to`,
        ),
      ];
    }
    return [
      failed(
        'ftp',
        `cannot connect to ${at} (${why})`,
        `check FTP_SERVER and FTP_PORT in ${home}, and that the server is up`,
      ),
    ];
  }
  const login = passed('ftp', `logged in to ${at} as "${ftp.user}" and wrote to ${ftp.directory}`);
  if (facts.notServed) {
    return [
      login,
      failed(
        'public url',
        `${facts.publicUrl} does not serve the file FTP just uploaded (${facts.notServed})`,
        `set HTTP_SERVER in ${home} to the public URL of FTP_DIRECTORY`,
      ),
    ];
  }
  return [login, passed('public url', `${ftp.httpServer} serves what FTP uploads`)];
}
