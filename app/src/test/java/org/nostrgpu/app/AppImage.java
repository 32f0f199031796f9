package org.nostrgpu.app;

import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The application's container image, built once per test run from {@code deploy/Dockerfile} and the packaged jar,
 * exactly as a user builds it: the build context holds the jar and {@code deploy/}. The base image is the
 * Dockerfile's default (Eclipse Temurin) unless {@code BASE_IMAGE} names another; CI makes a local one, since it
 * pulls nothing. Tagged {@value #NAME} and kept, so the Compose test can use it.
 */
final class AppImage {
    static final String NAME = "nostr-gpu-relay:test";

    private static String built;

    private AppImage() {
    }

    static synchronized String name() throws Exception {
        if (built == null) {
            Path root = Path.of(System.getProperty("nostr.repo.root", "..")).toAbsolutePath().normalize();
            Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the image holds the packaged jar; build it (mvn package): " + jar);
            }
            ImageFromDockerfile image = new ImageFromDockerfile(NAME, false)
                    .withFileFromPath("app/target/nostr-gpu-relay.jar", jar)
                    .withFileFromPath("deploy", root.resolve("deploy"))
                    .withDockerfilePath("deploy/Dockerfile");
            String base = System.getenv("BASE_IMAGE");
            if (base != null && !base.isBlank()) {
                image.withBuildArg("BASE_IMAGE", base.strip());
            }
            built = image.get();
        }
        return built;
    }
}
