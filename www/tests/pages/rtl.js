// The dashboard in a right-to-left page (dir="rtl", lang="ar"), with ar-EG numbers.
import { embed } from './embed.js';

embed({ locale: 'ar-EG' });
