package io.cairn.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the SDK client and presigner from {@link S3Options}. */
final class S3Clients {
  private S3Clients() {}

  static S3Client client(S3Options options) {
    StandardRetryStrategy retries =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(options.maxAttempts())
            .backoffStrategy(
                BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
            .circuitBreakerEnabled(false)
            .build();
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .region(region(options))
            .credentialsProvider(credentials(options))
            .serviceConfiguration(
                S3Configuration.builder()
                    .pathStyleAccessEnabled(options.pathStyle())
                    // "Expect: 100-continue" costs small puts a round trip (it doubled their
                    // time on S3Proxy); it pays only where a refusal saves sending a large body.
                    .expectContinueThresholdInBytes(1024L * 1024)
                    .build())
            // The SDK's default CRC trailers (aws-chunked bodies) are not understood by every
            // S3-compatible service; Cairn hashes content with SHA-256 itself.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                c -> c.retryStrategy(retries).apiCallAttemptTimeout(options.attemptTimeout()));
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    return builder.build();
  }

  static S3Presigner presigner(S3Options options) {
    var builder =
        S3Presigner.builder()
            .region(region(options))
            .credentialsProvider(credentials(options))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(options.pathStyle()).build());
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    return builder.build();
  }

  private static Region region(S3Options options) {
    if (options.region() != null) {
      return Region.of(options.region());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException noneConfigured) {
      return Region.of(S3Options.DEFAULT_REGION);
    }
  }

  private static AwsCredentialsProvider credentials(S3Options options) {
    if (options.accessKeyId() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
