// The page's CSP forbids eval. Zod probes `new Function` when a schema is built unless told not
// to, and the browser logs each probe as a CSP violation, so this runs before any schema exists.
import { config } from 'zod';

config({ jitless: true });
