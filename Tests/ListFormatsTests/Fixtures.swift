import Foundation
import ListFormats

/// Small files in each official format, written by hand with the quirks of the real ones.
enum Fixtures {
    static func file(_ name: String, _ text: String) -> ListFile { ListFile(name: name, data: Data(text.utf8)) }

    // OFAC legacy CSV: no header, `-0- ` nulls, CR LF, a remark continued in sdn_comments.csv, a trailing 0x1A.
    static let sdn = """
        306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."\r
        1572,"NORIEGA, Manuel Antonio","individual","CUBA] [SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 11 Feb 1934; POB Panama; nationality Panama; Passport A12345 (Panama); a.k.a. 'EL GENE"\r
        9999,"OCEAN STAR","vessel","IRAN",-0- ,"EPBV5","Crude Oil Tanker",-0- ,-0- ,"Iran",-0- ,-0- \r
        \u{1A}
        """
    static let alt = "306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n1572,221,\"fka\",\"NORIEGA MORENO, Manuel\",-0- \r\n"
    static let add = "306,199,\"Zweierstrasse 35\",\"Zurich CH-8022\",\"Switzerland\",-0- \r\n1572,200,-0- ,\"Panama City\",\"Panama\",-0- \r\n"
    static let comments = "1572,\"RAL'; a.k.a. 'O'NEILL, Tony'.\"\r\n"

    static var ofacSet: [ListFile] {
        [file("sdn.csv", sdn), file("alt.csv", alt), file("add.csv", add), file("sdn_comments.csv", comments)]
    }

    static let csl = """
        _id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks
        30946,Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department,30946,Entity,CMIC-EO13959,"HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",,"555 Qianmo Road, Hangzhou, CN",HIKVISION; HANGZHOU HIKVISION DIGITAL TECHNOLOGY,,,,"CN, 91330000733796106P, Unified Social Credit Code (USCC); CNE100000PM8, ISIN",
        f095626c,Entity List (EL) - Bureau of Industry and Security,,,,"Hangzhou Hikvision Digital Technology Co., Ltd.",,"No. 555 Qianmo Road, Hangzhou, CN",,,,,,
        18725,Capta List (CAP) - Treasury Department,18725,Entity,UKRAINE-EO13662,BANCO VTB AFRICA SA,,,,,,,,
        18725,Specially Designated Nationals (SDN) - Treasury Department,18725,Entity,RUSSIA-EO14024,BANCO VTB AFRICA SA,,,VTB AFRICA,,,,,
        """

    static let cslJSON = """
        {"results": [
          {"_id": "30946", "source": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
           "entity_number": 30946, "type": "Entity", "programs": ["CMIC-EO13959"], "name": "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
           "alt_names": ["HIKVISION"], "addresses": [{"address": "555 Qianmo Road", "city": "Hangzhou", "country": "CN"}],
           "ids": [{"type": "ISIN", "number": "CNE100000PM8", "country": "CN"}]},
          {"_id": "d1", "source": "Denied Persons List (DPL) - Bureau of Industry and Security", "name": "I. ASH", "alt_names": "A; B"}
        ]}
        """

    static let un = """
        <?xml version="1.0" encoding="UTF-8"?>
        <CONSOLIDATED_LIST>
          <INDIVIDUALS>
            <INDIVIDUAL>
              <FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>
              <UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>
              <NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>
              <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Eric Badege Good</ALIAS_NAME></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Badege</ALIAS_NAME></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
              <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OB0123</NUMBER><ISSUING_COUNTRY>Congo</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
            </INDIVIDUAL>
          </INDIVIDUALS>
          <ENTITIES>
            <ENTITY>
              <FIRST_NAME>AL-QAIDA</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER>
              <NAME_ORIGINAL_SCRIPT>القاعدة</NAME_ORIGINAL_SCRIPT>
              <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>The Base</ALIAS_NAME></ENTITY_ALIAS>
              <ENTITY_ADDRESS><CITY>Kandahar</CITY><COUNTRY>Afghanistan</COUNTRY></ENTITY_ADDRESS>
            </ENTITY>
          </ENTITIES>
        </CONSOLIDATED_LIST>
        """

    static let clearanceJSON = """
        {"entries": [
          {"id": "V-1", "name": "Acme Shell Trading LLC", "type": "organization", "aliases": ["Acme Shell", {"name": "ACME ST", "kind": "weak"}],
           "programs": ["internal-fraud"], "sourceList": "Acme denied vendors", "countries": ["PA"],
           "identifiers": [{"type": "VAT", "value": "PA123", "country": "PA"}]},
          {"id": "V-2", "name": "Jane Roe", "type": "person", "datesOfBirth": ["1970-01-01"]}
        ]}
        """
}
