package org.nostrgpu.bench.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signs the corpora of the check and libsecp256k1's verdicts on them, saved for the other parts. */
final class CorpusPart {

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        List<Map<String, Object>> made = new ArrayList<>();
        for (DeviceCorpus corpus : DeviceCorpus.make(options, results)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", corpus.name());
            json.put("signatures", corpus.size());
            made.add(json);
        }
        results.put("corpora", made);
        return 0;
    }

    private CorpusPart() {
    }
}
