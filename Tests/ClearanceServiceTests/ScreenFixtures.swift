import Foundation
import TestSupport

/// A small CSL and an OFAC SDN set for screening tests: Hikvision on the NS-CMIC and Entity Lists, an SDN bank with
/// a weak alias, and an SDN person.
enum ScreenFixtures {
    static let csl = """
        _id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks
        30946,Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department,30946,Entity,CMIC-EO13959,"HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",,"555 Qianmo Road, Hangzhou, CN",HIKVISION; HANGZHOU HIKVISION DIGITAL TECHNOLOGY,,,,"CNE100000PM8, ISIN",
        f095626c,Entity List (EL) - Bureau of Industry and Security,,,,"Hangzhou Hikvision Digital Technology Co., Ltd.",,"No. 555 Qianmo Road, Hangzhou, CN",Hikvision,,,,,
        """

    static let sdn = """
        306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."\r
        10404,"ROPERO SUAREZ, Emiro del Carmen","individual","SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 02 Jan 1960; nationality Colombia."\r

        """

    static var sdnFiles: [(name: String, data: Data)] {
        [("sdn.csv", Data(sdn.utf8)), ("alt.csv", Data("306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n".utf8)),
         ("add.csv", Data("306,199,-0- ,\"Havana\",\"Cuba\",-0- \r\n".utf8))]
    }

    /// A service with both lists loaded, and a key with the screen and audit roles.
    static func service(_ backend: DatabaseBackend = .sqlite) throws -> (ServiceHarness, String) {
        let service = try ServiceHarness(backend: backend)
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(csl.utf8))])
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: sdnFiles)
        return (service, try service.createKey(["screen", "audit"]))
    }
}
