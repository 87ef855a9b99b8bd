package dev.speechfleet.deepgram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.provider.HttpFailures;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.stream.FailureKind;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.logging.Logger;

/** Deepgram's pre-recorded endpoint (provider-contracts.md §1.1), the chunk sent as a WAV file. */
@RegisterRestClient(configKey = "deepgram")
@Path("/v1/listen")
interface DeepgramApi {

    int UPLOAD_INCOMPLETE = 422;

    @POST
    @Consumes("audio/wav")
    @Produces(MediaType.APPLICATION_JSON)
    ListenResponse listen(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("model") String model,
            @QueryParam("language") String language,
            @QueryParam("smart_format") boolean smartFormat,
            @QueryParam("punctuate") boolean punctuate,
            @QueryParam("keyterm") List<String> keyterms,
            @QueryParam("mip_opt_out") Boolean mipOptOut,
            byte[] wav);

    /**
     * Every error status becomes a classified {@link ProviderCallException} carrying Deepgram's
     * {@code request_id}, the body and Retry-After; 422 ({@code ASR_UNPROCESSABLE_ENTITY}: the upload
     * arrived incomplete) is worth a retry.
     */
    @ClientExceptionMapper
    static ProviderCallException toException(Response response) {
        String body = response.readEntity(String.class);
        String retryAfter = response.getHeaderString("Retry-After");
        String requestId = requestId(body, response.getHeaderString(REQUEST_ID_HEADER));
        Logger.getLogger(DeepgramApi.class).warnf("deepgram request %s failed with HTTP %d",
                requestId == null ? "(no request_id)" : requestId, response.getStatus());
        FailureKind kind = response.getStatus() == UPLOAD_INCOMPLETE ? FailureKind.RETRYABLE
                : HttpFailures.classify(response.getStatus());
        return ProviderCallException.fromHttp(kind, DeepgramProvider.NAME, response.getStatus(), body, retryAfter,
                requestId);
    }

    /** Response header that carries the request id when the body does not (plain-text errors). */
    String REQUEST_ID_HEADER = "dg-request-id";

    /** {@code request_id} of either error body family, else the response header, else {@code null}. */
    static String requestId(String body, String header) {
        if (body != null && body.stripLeading().startsWith("{")) {
            try {
                String id = new ObjectMapper().readTree(body).path("request_id").asText("");
                if (!id.isBlank()) {
                    return id;
                }
            } catch (JsonProcessingException e) {
                // Not JSON after all: the header may still name the request.
            }
        }
        return header == null || header.isBlank() ? null : header;
    }
}
