import Foundation

/// OFAC CSV sets for upload tests: `v1` and a `v2` with one entry added, one removed and one changed.
enum ListFixtures {
    static let sdnV1 = """
        306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."\r
        1572,"NORIEGA, Manuel Antonio","individual","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 11 Feb 1934."\r
        2000,"OLD TRADING LTD.",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r

        """
    static let sdnV2 = """
        306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."\r
        1572,"NORIEGA, Manuel Antonio","individual","CUBA] [SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 11 Feb 1934."\r
        3000,"NEW SHIPPING CO.",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r

        """
    static let alt = "306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n"
    static let add = "306,199,\"Zweierstrasse 35\",\"Zurich CH-8022\",\"Switzerland\",-0- \r\n"

    static func set(_ sdn: String) -> [(name: String, data: Data)] {
        [("sdn.csv", Data(sdn.utf8)), ("alt.csv", Data(alt.utf8)), ("add.csv", Data(add.utf8))]
    }

    static let v1 = set(sdnV1)
    static let v2 = set(sdnV2)
}
