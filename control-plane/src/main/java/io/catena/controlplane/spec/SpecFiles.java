package io.catena.controlplane.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads and writes cluster manifests as YAML; reading also validates. */
public final class SpecFiles {

  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private SpecFiles() {}

  /** Parses and validates; problems come as a {@link SpecValidationException}. */
  public static ClusterManifest parse(String yaml) {
    ClusterManifest manifest;
    try {
      manifest = YAML.readValue(yaml, ClusterManifest.class);
    } catch (JsonMappingException e) {
      throw new SpecValidationException(List.of(new SpecProblem(path(e), reason(e))));
    } catch (JsonProcessingException e) {
      throw new SpecValidationException(
          List.of(new SpecProblem("(document)", "not valid YAML: " + e.getOriginalMessage())));
    }
    if (manifest == null) {
      throw new SpecValidationException(List.of(new SpecProblem("(document)", "is empty")));
    }
    return SpecValidator.requireValid(manifest);
  }

  public static ClusterManifest read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static String toYaml(ClusterManifest manifest) {
    try {
      return YAML.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "(document)" : out.toString();
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      return "unknown field";
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return "wrong type: " + (newline > 0 ? message.substring(0, newline) : message);
  }
}
