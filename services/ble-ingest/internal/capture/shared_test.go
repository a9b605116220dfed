package capture

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/bluestream/bluestream/platform/shareddata"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// tsharkAdvertisementFilter selects what this package calls an advertisement in
// link-layer captures: legacy advertising PDUs with advertiser data on the
// advertising access address, minus those Wireshark found a bad CRC in. Wireshark
// stops dissecting a frame whose AD structures overrun the PDU (_ws.malformed)
// before it checks the CRC; in the hackrf capture those three frames (137, 190,
// 204) are bit-error noise whose CRC this package finds bad, so they are left out.
const tsharkAdvertisementFilter = "btle.access_address == 0x8e89bed6 && !btle.crc.incorrect && !_ws.malformed && " +
	"(btle.advertising_header.pdu_type == 0 || btle.advertising_header.pdu_type == 1 || " +
	"btle.advertising_header.pdu_type == 2 || btle.advertising_header.pdu_type == 4 || " +
	"btle.advertising_header.pdu_type == 6)"

// sharedCaptures lists the real captures of ../shared/data/captures with the
// counts verified by hand against `tshark -V` (see SOURCE.md there).
var sharedCaptures = []struct {
	file     string
	format   string
	ads      int
	badCRC   int
	records  int
	linkType bool // link-layer capture (else HCI): decides the tshark query
}{
	{file: "nrf-sniffer-bthome.pcapng", format: "pcapng", ads: 12, records: 13, linkType: true},
	{file: "le-ll-phdr-adv-and-connect.pcapng", format: "pcapng", ads: 42, records: 303, linkType: true},
	{file: "hackrf-le-ll-phdr-small.pcapng", format: "pcapng", ads: 170, badCRC: 21, records: 221, linkType: true},
	{file: "android-btsnoop-mixed.btsnoop", format: "btsnoop", ads: 412, records: 2572},
}

func TestSharedCapturesCounts(t *testing.T) {
	t.Parallel()
	for _, c := range sharedCaptures {
		t.Run(strings.TrimSuffix(c.file, ".pcapng"), func(t *testing.T) {
			t.Parallel()
			path := shareddata.Path(t, "captures", c.file)
			ads, stats := readFile(t, path)
			if len(ads) != c.ads || stats.Advertisements != c.ads || stats.BadCRC != c.badCRC || stats.Records != c.records {
				t.Errorf("read %d advertisements, stats %+v; want %d advertisements, %d bad CRC, %d records", len(ads), stats, c.ads, c.badCRC, c.records)
			}
			if sum := stats.Advertisements + stats.BadCRC + stats.Other + stats.Malformed; c.format != "btsnoop" && sum != stats.Records {
				t.Errorf("stats do not add up to records: %+v", stats)
			}
			for i, ad := range ads {
				if err := ad.Validate(); err != nil {
					t.Fatalf("advertisement %d: %v", i, err)
				}
			}
			if want, ok := tsharkCount(t, path, c.linkType); ok && want != len(ads) {
				t.Errorf("tshark counts %d advertisements, reader %d", want, len(ads))
			}
		})
	}
}

func readFile(t testing.TB, path string) ([]advert.Advertisement, Stats) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ads, stats, err := ReadAll(f, Options{GatewayID: "replay:test"})
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return ads, stats
}

// tsharkCount counts advertisements with tshark when it is on PATH: link-layer
// frames matching tsharkAdvertisementFilter, or the reports in HCI LE
// (extended) advertising report events.
func tsharkCount(t *testing.T, path string, linkLayer bool) (int, bool) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Log("tshark not on PATH: comparing with the recorded counts only (apt-get install tshark)")
		return 0, false
	}
	args := []string{"-n", "-r", path, "-T", "fields"}
	if linkLayer {
		args = append(args, "-Y", tsharkAdvertisementFilter, "-e", "frame.number")
	} else {
		args = append(args, "-Y", "bthci_evt.le_meta_subevent == 0x02 || bthci_evt.le_meta_subevent == 0x0d", "-e", "bthci_evt.le_num_reports")
	}
	cmd := exec.CommandContext(t.Context(), "tshark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %v: %v: %s", args, err, stderr.String())
	}
	n := 0
	for _, line := range strings.Fields(string(out)) {
		if linkLayer {
			n++
			continue
		}
		reports, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("tshark printed %q for le_num_reports", line)
		}
		n += reports
	}
	return n, true
}
