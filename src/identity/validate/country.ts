// ISO 3166-1 alpha-2 codes and their alpha-3 codes, which ICAO 9303 prints on passports.
const PAIRS =
  'AF AFG AX ALA AL ALB DZ DZA AS ASM AD AND AO AGO AI AIA AQ ATA AG ATG AR ARG AM ARM AW ABW AU AUS ' +
  'AT AUT AZ AZE BS BHS BH BHR BD BGD BB BRB BY BLR BE BEL BZ BLZ BJ BEN BM BMU BT BTN BO BOL BQ BES ' +
  'BA BIH BW BWA BV BVT BR BRA IO IOT BN BRN BG BGR BF BFA BI BDI CV CPV KH KHM CM CMR CA CAN KY CYM ' +
  'CF CAF TD TCD CL CHL CN CHN CX CXR CC CCK CO COL KM COM CG COG CD COD CK COK CR CRI CI CIV HR HRV ' +
  'CU CUB CW CUW CY CYP CZ CZE DK DNK DJ DJI DM DMA DO DOM EC ECU EG EGY SV SLV GQ GNQ ER ERI EE EST ' +
  'SZ SWZ ET ETH FK FLK FO FRO FJ FJI FI FIN FR FRA GF GUF PF PYF TF ATF GA GAB GM GMB GE GEO DE DEU ' +
  'GH GHA GI GIB GR GRC GL GRL GD GRD GP GLP GU GUM GT GTM GG GGY GN GIN GW GNB GY GUY HT HTI HM HMD ' +
  'VA VAT HN HND HK HKG HU HUN IS ISL IN IND ID IDN IR IRN IQ IRQ IE IRL IM IMN IL ISR IT ITA JM JAM ' +
  'JP JPN JE JEY JO JOR KZ KAZ KE KEN KI KIR KP PRK KR KOR KW KWT KG KGZ LA LAO LV LVA LB LBN LS LSO ' +
  'LR LBR LY LBY LI LIE LT LTU LU LUX MO MAC MG MDG MW MWI MY MYS MV MDV ML MLI MT MLT MH MHL MQ MTQ ' +
  'MR MRT MU MUS YT MYT MX MEX FM FSM MD MDA MC MCO MN MNG ME MNE MS MSR MA MAR MZ MOZ MM MMR NA NAM ' +
  'NR NRU NP NPL NL NLD NC NCL NZ NZL NI NIC NE NER NG NGA NU NIU NF NFK MK MKD MP MNP NO NOR OM OMN ' +
  'PK PAK PW PLW PS PSE PA PAN PG PNG PY PRY PE PER PH PHL PN PCN PL POL PT PRT PR PRI QA QAT RE REU ' +
  'RO ROU RU RUS RW RWA BL BLM SH SHN KN KNA LC LCA MF MAF PM SPM VC VCT WS WSM SM SMR ST STP SA SAU ' +
  'SN SEN RS SRB SC SYC SL SLE SG SGP SX SXM SK SVK SI SVN SB SLB SO SOM ZA ZAF GS SGS SS SSD ES ESP ' +
  'LK LKA SD SDN SR SUR SJ SJM SE SWE CH CHE SY SYR TW TWN TJ TJK TZ TZA TH THA TL TLS TG TGO TK TKL ' +
  'TO TON TT TTO TN TUN TR TUR TM TKM TC TCA TV TUV UG UGA UA UKR AE ARE GB GBR US USA UM UMI UY URY ' +
  'UZ UZB VU VUT VE VEN VN VNM VG VGB VI VIR WF WLF EH ESH YE YEM ZM ZMB ZW ZWE ' +
  // Not ISO: Kosovo's user-assigned XK is RKS on its passports; Germany prints D, not DEU.
  'XK RKS D DEU';

const ALPHA3 = new Map<string, string>();
{
  const words = PAIRS.split(' ');
  for (let i = 0; i + 1 < words.length; i += 2) ALPHA3.set(words[i] as string, words[i + 1] as string);
}

/**
 * The three-letter code a passport's issuing country is keyed by: an ISO 3166 alpha-2 code (`CN`,
 * as Credence gives countries elsewhere and many KYC forms do) becomes its alpha-3 code (`CHN`, as
 * the MRZ prints it), and Germany's MRZ `D` becomes `DEU`. Any other code (alpha-3, ICAO's own
 * such as `GBN` or `UNO`, the specimen `UTO`) is kept as given.
 *
 * @example
 * passportCountryKey('CN') // 'CHN'
 * passportCountryKey('CHN') // 'CHN'
 */
export function passportCountryKey(code: string): string {
  return ALPHA3.get(code) ?? code;
}

// ICAO 9303's codes of its own, beside ISO's: British nationals of other kinds, the United Nations
// and its agencies, stateless persons and refugees, the EU, Interpol and other issuers; UTO, the
// specimen state of ICAO's examples.
const ICAO_ONLY = new Set(
  'GBD GBN GBO GBP GBS UNO UNA UNK XXA XXB XXC XXX EUE XOM XPO XCC XES XBA XIM XCE XEC XCO XDC XAA UTO'.split(
    ' ',
  ),
);
const ALPHA3_CODES = new Set(ALPHA3.values());

/**
 * Whether an upper-case code is a country code of either system: ISO 3166 alpha-2 (`CN`, and
 * Kosovo's `XK`), alpha-3 (`CHN`), or ICAO 9303's own (`D`, `RKS`, `GBN`, `UNO`, `XXA`). `CNH` or
 * `CHNA` is a slip, not a country.
 *
 * @example
 * isCountryCode('CHN') // true
 * isCountryCode('CNH') // false
 */
export function isCountryCode(code: string): boolean {
  return ALPHA3.has(code) || ALPHA3_CODES.has(code) || ICAO_ONLY.has(code);
}
