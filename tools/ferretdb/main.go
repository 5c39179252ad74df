// Command ferretdb runs FerretDB 1.24 embedded on SQLite for development and tests.
// FerretDB's own command panics when installed from the module proxy (its version
// file is left out of the module), so the project builds this wrapper instead.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
)

// FerretDB 1.24 indexes _id on the expression _ferretdb_sjson->"_id" but looks documents up
// with _ferretdb_sjson->'$._id'. SQLite uses an expression index only when the text matches,
// so every lookup by _id scans the whole table. This adds an index on the expression the
// queries use to each collection table; FerretDB's own metadata never lists it, and it goes
// when the collection is dropped.
func addIDLookupIndexes(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	for _, file := range files {
		db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
		if err != nil {
			continue
		}
		rows, err := db.Query(`SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\'
			AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.tbl_name = t.name AND i.name = t.name || '_id_lookup')`)
		if err == nil {
			var tables []string
			for rows.Next() {
				var name string
				if rows.Scan(&name) == nil {
					tables = append(tables, name)
				}
			}
			rows.Close()
			for _, t := range tables {
				q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_id_lookup", t)
				if _, err := db.Exec(q); err != nil {
					log.Printf("ferretdb: index on %s: %v", t, err)
				}
			}
		}
		db.Close()
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback: the SQLite backend has no authentication)")
	dir := flag.String("dir", "", "directory for the SQLite files")
	memory := flag.Bool("memory", false, "keep data in memory only")
	flag.Parse()

	if *dir == "" {
		log.Fatal("ferretdb: -dir is required")
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		log.Fatal(err)
	}
	url := "file:" + abs + "/"
	if *memory {
		url += "?mode=memory"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: url,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !*memory {
		go func() {
			for ctx.Err() == nil {
				addIDLookupIndexes(abs)
				select {
				case <-ctx.Done():
				case <-time.After(500 * time.Millisecond):
				}
			}
		}()
	}

	log.Printf("ferretdb: listening on %s, data in %s", *listen, url)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
