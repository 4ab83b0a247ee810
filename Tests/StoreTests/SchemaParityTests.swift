import Foundation
import Store
import Testing
import TestSupport

/// The SQLite and PostgreSQL migrations are one schema in two dialects: migrated from empty, both databases have the
/// same tables, the same columns (with types read alike), the same indexes and the same guards (triggers), so a
/// change made to one dialect's migrations and not the other's fails here.
///
/// One part differs by design: the decision search index, `decision_search`, is an FTS5 virtual table in SQLite (with
/// its shadow tables `decision_search_*`) and a table of `tsvector` columns with GIN indexes in PostgreSQL. Both must
/// have it; its insides are left out of the comparison.
@Suite struct SchemaParityTests {
    static func dialectSpecific(_ name: String) -> Bool { name.hasPrefix("decision_search") }

    /// A column's type as both dialects mean it.
    static func normalized(_ type: String) -> String {
        let type = type.lowercased()
        if type.contains("int") || type == "bigserial" || type == "serial" { return "integer" }
        if type.contains("double") || type == "real" || type.contains("numeric") || type.contains("float") { return "real" }
        if type.contains("char") || type == "text" { return "text" }
        if type == "blob" || type == "bytea" { return "blob" }
        if type.contains("bool") { return "boolean" }
        return type
    }

    struct Schema: Equatable, CustomStringConvertible {
        /// table -> column -> (normalized type, not null)
        var columns: [String: [String: String]] = [:]
        var indexes: Set<String> = []
        /// table -> the changes refused on it (update, delete)
        var guards: [String: Set<String>] = [:]

        var description: String {
            columns.keys.sorted().map { table in "\(table)(\(columns[table, default: [:]].sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))" }
                .joined(separator: "\n") + "\nindexes: \(indexes.sorted())\nguards: \(guards.sorted { $0.key < $1.key })"
        }
    }

    static func sqlite(_ database: any SQLDatabase) throws -> Schema {
        try database.read { db in
            var schema = Schema()
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") { $0.string(0) }
            for table in tables {
                let columns = try db.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info('\(table)')") { row in
                    (row.string(0), normalized(row.string(1)) + (row.int(2) == 1 || row.int(3) > 0 ? " not null" : ""))
                }
                schema.columns[table] = Dictionary(columns, uniquingKeysWith: { first, _ in first })
            }
            // Named indexes (the unnamed ones SQLite makes for UNIQUE and PRIMARY KEY are constraints PostgreSQL names itself).
            schema.indexes = Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") { $0.string(0) })
            for (table, sql) in try db.query("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'", map: { ($0.string(0), $0.string(1)) }) {
                let upper = sql.uppercased()
                for event in ["UPDATE", "DELETE"] where upper.contains("BEFORE \(event)") {
                    schema.guards[table, default: []].insert(event)
                }
            }
            return schema
        }
    }

    static func postgres(_ database: any SQLDatabase) throws -> Schema {
        try database.read { db in
            var schema = Schema()
            let columns = try db.query("""
                SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
                """) { ($0.string(0), $0.string(1), normalized($0.string(2)) + ($0.string(3) == "NO" ? " not null" : "")) }
            for (table, column, type) in columns { schema.columns[table, default: [:]][column] = type }
            schema.indexes = Set(try db.query("""
                SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = 'public' AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """) { $0.string(0) })
            let triggers = try db.query("""
                SELECT event_object_table, event_manipulation FROM information_schema.triggers WHERE trigger_schema = 'public' AND action_timing = 'BEFORE'
                """) { ($0.string(0), $0.string(1).uppercased()) }
            for (table, event) in triggers where ["UPDATE", "DELETE"].contains(event) { schema.guards[table, default: []].insert(event) }
            return schema
        }
    }

    @Test(.enabled(if: DatabaseBackend.all.contains(.postgres), "needs PostgreSQL (swift test --traits PostgreSQL, with Debian's postgresql installed)"))
    func bothDialectsMigrateToOneSchema() throws {
        let folder = TestFolder.make("schema")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = try DatabaseLocation(folder.appendingPathComponent("schema.sqlite").path).open(readerCount: 1)
        try MigrationRunner.embedded(for: .sqlite).migrate(sqlite)
        let postgres = try DatabaseLocation(try PostgresCluster.shared.get().createDatabase()).open(readerCount: 1)
        try MigrationRunner.embedded(for: .postgres).migrate(postgres)
        var lite = try Self.sqlite(sqlite), pg = try Self.postgres(postgres)
        #expect(lite.columns["decision_search"] != nil && pg.columns["decision_search"] != nil, "both have the search index")
        lite.columns = lite.columns.filter { !Self.dialectSpecific($0.key) }
        pg.columns = pg.columns.filter { !Self.dialectSpecific($0.key) }
        lite.indexes = lite.indexes.filter { !Self.dialectSpecific($0) }
        pg.indexes = pg.indexes.filter { !Self.dialectSpecific($0) }
        #expect(Set(lite.columns.keys) == Set(pg.columns.keys),
                "tables only in SQLite: \(Set(lite.columns.keys).subtracting(pg.columns.keys).sorted()), only in PostgreSQL: \(Set(pg.columns.keys).subtracting(lite.columns.keys).sorted())")
        for table in Set(lite.columns.keys).union(pg.columns.keys).sorted() {
            #expect(lite.columns[table] == pg.columns[table], "\(table): SQLite \(lite.columns[table] ?? [:]) PostgreSQL \(pg.columns[table] ?? [:])")
        }
        #expect(lite.indexes == pg.indexes, "indexes only in SQLite: \(lite.indexes.subtracting(pg.indexes).sorted()), only in PostgreSQL: \(pg.indexes.subtracting(lite.indexes).sorted())")
        #expect(lite.guards == pg.guards, "guards: SQLite \(lite.guards) PostgreSQL \(pg.guards)")
    }
}
