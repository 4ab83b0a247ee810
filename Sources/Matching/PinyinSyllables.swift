/// Hanyu Pinyin's syllables (without tones), and whether a word is a given name of two syllables or more written in
/// them (`guoping`, `jianling`). Beside a one-syllable surname (`Wang`, `Sun`) such a name is Chinese, and Chinese
/// given names differ by a syllable, not by a typo: `Guoping` and `Guoying`, `Jianling` and `Jinlong` are other
/// people's names, whatever their letters share. Other romanisations (Wade-Giles `Hsiao`, Cantonese `Kwok`) are not
/// Pinyin, so their variants of a Pinyin name still match as transliterations. (Latin words spell Pinyin by chance,
/// `China` and `Panda`, `Emerio` and `Abiola`; hence the surname beside it.)
enum PinyinSyllables {
    /// Each syllable's letters packed into an integer (`packed`), so a word is read without building strings.
    static let all: Set<UInt64> = Set("""
        a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng
        cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu
        cuan cui cun cuo da dai dan dang dao de dei den deng di dian diao die ding diu dong dou du duan dui dun duo e ei
        en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
        gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao
        jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun
        kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu long lou lu lv luan lue lun luo ma mai
        man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
        niang niao nie nin ning niu nong nou nu nv nuan nue nuo o ou pa pai pan pang pao pei pen peng pi pian piao pie pin
        ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou
        ru ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua
        shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting
        tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu
        xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha
        zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu
        zuan zui zun zuo
        """.split(whereSeparator: \.isWhitespace).map { packed(Array($0.utf8)[...]) })

    /// The longest syllable has six letters (`chuang`, `shuang`, `zhuang`).
    private static let longest = 6

    /// Whether `word` reads as two Pinyin syllables or more, every letter used, and not as one.
    static func isMultiSyllable(_ word: [UInt8]) -> Bool {
        guard word.count >= 3, word.count <= 4 * longest else { return false }
        // fewest[i]: the fewest syllables that spell word[..<i] (nil: none do).
        var fewest = [Int?](repeating: nil, count: word.count + 1)
        fewest[0] = 0
        for end in 1...word.count {
            for start in max(0, end - longest)..<end {
                // Pinyin writes a syllable beginning with a, e or o after another with an apostrophe (`Xi'an`), so
                // none begins so inside a word: `seedi` is not `se-e-di`.
                guard let before = fewest[start], start == 0 || !Self.opensWithVowel(word[start]),
                      all.contains(packed(word[start..<end])) else { continue }
                fewest[end] = min(fewest[end] ?? .max, before + 1)
            }
        }
        // A word that is one syllable (`xian`, though `xi'an` splits too) is a surname or a syllable, not matched so.
        return (fewest[word.count] ?? 0) >= 2
    }

    private static func opensWithVowel(_ letter: UInt8) -> Bool {
        letter == UInt8(ascii: "a") || letter == UInt8(ascii: "e") || letter == UInt8(ascii: "o")
    }

    /// Whether `word` is one syllable (a Chinese surname is).
    static func isSyllable(_ word: [UInt8]) -> Bool {
        word.count <= longest && all.contains(packed(word[...]))
    }

    /// Up to eight letters as one integer, first letter highest.
    private static func packed(_ letters: ArraySlice<UInt8>) -> UInt64 {
        letters.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
