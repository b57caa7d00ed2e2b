package dev.deployer.server;

import dev.deployer.server.http.Call;
import dev.deployer.server.http.Reply;
import dev.deployer.server.http.Route;
import dev.deployer.server.http.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.jetty.http.MultiPart;

/**
 * {@code POST /upload}: a project, and a {@code docker save} tar, a tar.gz package, or both. The
 * image's name is checked like a hook's; the package is unpacked here, refusing links and paths
 * out, so what is queued is already known to be safe to ship. Uploads are limited per user.
 */
final class Uploads {
  private final ServerConfig config;
  private final DeployQueue queue;
  private final Route.Guard user;
  private final RateLimiter perUser = new RateLimiter(Duration.ofHours(1));

  Uploads(ServerConfig config, DeployQueue queue, Route.Guard user) {
    this.config = config;
    this.queue = queue;
    this.user = user;
  }

  Route route() throws IOException {
    Path incoming = config.uploadsDir().resolve(".incoming");
    // Whatever is here was left by a server that died mid-upload.
    Router.deleteTree(incoming);
    Files.createDirectories(incoming);
    return Route.of("POST", "/upload", this::admit, new Route.Body.Form(incoming, config.maxUploadBytes()), this::upload);
  }

  private Reply admit(Call call) throws Exception {
    Reply refused = user.admit(call);
    if (refused != null) {
      return refused;
    }
    return perUser.allow(call.principal(), config.uploadsPerHour()) ? null
        : Reply.error(429, "more than " + config.uploadsPerHour() + " uploads in an hour by " + call.principal())
            .with("Retry-After", "600");
  }

  private Reply upload(Call call) throws IOException, SQLException {
    String id = UUID.randomUUID().toString();
    Path dir = DeployQueue.uploadDir(config, id);
    try {
      return store(call, id, dir);
    } catch (Refusal refusal) {
      Router.deleteTree(dir);
      return Reply.error(refusal.status(), refusal.getMessage());
    } catch (IOException | SQLException | RuntimeException e) {
      Router.deleteTree(dir);
      throw e;
    }
  }

  private Reply store(Call call, String id, Path dir) throws Refusal, IOException, SQLException {
    String projectName = null;
    Path image = null;
    Path archive = null;
    Files.createDirectories(dir);
    for (MultiPart.Part part : call.parts()) {
      switch (part.getName()) {
        case "project" -> {
          if (part.getLength() > 256) {
            throw new Refusal(400, "the project field is a project's name");
          }
          projectName = part.getContentAsString(StandardCharsets.UTF_8).trim();
        }
        case "image" -> {
          image = dir.resolve("image.tar");
          part.writeTo(image);
        }
        case "package" -> {
          archive = dir.resolve("package.tar.gz");
          part.writeTo(archive);
        }
        default -> throw new Refusal(400, "unknown form field " + IncomingImage.shown(part.getName()) + " (project, image, package)");
      }
    }
    ServerConfig.Project project = projectName == null ? null : config.projects().get(projectName);
    if (project == null) {
      throw new Refusal(404, "no project " + IncomingImage.shown(projectName));
    }
    if (image == null && archive == null) {
      throw new Refusal(400, "an upload carries an image (docker save tar), a package (tar.gz), or both");
    }
    String reference = project.name() + ":" + id.substring(0, 8);
    String tag = id.substring(0, 8);
    if (image != null) {
      IncomingImage named = UploadedImage.of(image);
      named.acceptedBy(project);
      reference = named.reference();
      tag = named.tag();
    }
    Path unpacked = null;
    if (archive != null) {
      unpacked = dir.resolve("package");
      // Unpacked it may be larger than uploaded, but not without bound (a tar.gz of zeros).
      PackageArchive.unpack(archive, unpacked, Math.max(config.maxUploadBytes() * 4, 64L * 1024 * 1024));
      Files.delete(archive);
    }
    Deployment d = Deployment.queued(id, project.name(), "upload", reference, tag, call.principal(), null,
        image == null ? null : image.toString(), unpacked == null ? null : unpacked.toString());
    queue.submit(d);
    return Api.queued(config, d);
  }
}
