package dev.memlayer.embedder.onnx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps DJL's HuggingFace tokenizer binding off the network. Left alone, DJL (0.38) may
 * <ul>
 *   <li>download a CUDA build of {@code libtokenizers} from {@code publish.djl.ai} when it detects
 *       an NVIDIA GPU (the jar only holds CPU builds), and</li>
 *   <li>"call home": query the EC2 metadata endpoint and send telemetry to S3 once a day.</li>
 * </ul>
 * Setting {@code RUST_FLAVOR=cpu} makes it extract the CPU library that ships inside the
 * {@code ai.djl.huggingface:tokenizers} jar; {@code OPT_OUT_TRACKING=true} switches telemetry off.
 * Both are read by DJL from the environment first, then from system properties; we set the system
 * property only when the user has set neither, so an explicit choice always wins. (DJL still probes
 * for a CUDA runtime through JNA, and logs a warning when it finds one without a usable GPU.)
 */
final class DjlNativeSettings {

    private static final Logger LOG = LoggerFactory.getLogger(DjlNativeSettings.class);

    private DjlNativeSettings() {}

    /** Applies the settings; idempotent, must run before the first DJL tokenizer is created. */
    static synchronized void keepOffline() {
        setIfAbsent("RUST_FLAVOR", "cpu");
        setIfAbsent("OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, value);
            LOG.debug("Set system property {}={} for DJL", name, value);
        }
    }
}
