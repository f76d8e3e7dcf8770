// ICAO 9303 Part 3 codes for issuing states, organizations and nationalities, as data.
#pragma once

#include <array>
#include <string_view>

namespace wm::hw::icao {

// ISO 3166-1 alpha-3, currently assigned (249 entries from iso-codes 4.15 less DEU, because
// Doc 9303 writes Germany as "D"). Sorted, so lookups can binary-search.
inline constexpr std::array<std::string_view, 248> kIsoAlpha3 = {
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DJI", "DMA", "DNK", "DOM", "DZA", "ECU",
    "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM", "GAB",
    "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL",
    "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND",
    "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN",
    "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA",
    "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL",
    "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI",
    "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU",
    "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT",
    "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SGS",
    "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR", "SVK",
    "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM",
    "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY", "USA",
    "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF", "ZMB",
    "ZWE",
};

// Doc 9303 Part 3 additions, plus RKS (printed on Kosovo passports although the Part 3 table
// has no entry for it; a citizen office must not turn those away) and UTO (Utopia, the
// fictional state of every Doc 9303 specimen, so specimens and demo cards read). Sorted.
inline constexpr std::array<std::string_view, 26> kSpecial = {
    "D",  // Germany (ICAO: D, never DEU)
    "EUE",  // European Union
    "GBD",  // British Overseas Territories Citizen
    "GBN",  // British National (Overseas)
    "GBO",  // British Overseas Citizen
    "GBP",  // British Protected Person
    "GBS",  // British Subject
    "RKS",  // Republic of Kosovo (not in the Part 3 table, see above)
    "UNA",  // a specialized agency of the United Nations or one of its officials
    "UNK",  // resident of Kosovo, document issued by UNMIK
    "UNO",  // United Nations Organization or one of its officials
    "UTO",  // Utopia, Doc 9303 specimens only
    "XBA",  // African Development Bank
    "XCC",  // Caribbean Community (CARICOM)
    "XCE",  // Council of Europe
    "XCO",  // Common Market for Eastern and Southern Africa (COMESA)
    "XDC",  // Southern African Development Community
    "XEC",  // Economic Community of West African States (ECOWAS)
    "XES",  // Organization of Eastern Caribbean States
    "XIM",  // African Export-Import Bank
    "XOM",  // Sovereign Military Order of Malta
    "XPO",  // International Criminal Police Organization (INTERPOL)
    "XXA",  // stateless person (1954 Convention)
    "XXB",  // refugee (1951 Convention)
    "XXC",  // refugee, other than XXB
    "XXX",  // person of unspecified nationality
};

}  // namespace wm::hw::icao
