package dev.speechfleet.deepgram;

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
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

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
            byte[] wav);

    /**
     * Every error status becomes a classified {@link ProviderCallException} carrying the body and
     * Retry-After; 422 ({@code ASR_UNPROCESSABLE_ENTITY}: the upload arrived incomplete) is worth a retry.
     */
    @ClientExceptionMapper
    static ProviderCallException toException(Response response) {
        String body = response.readEntity(String.class);
        String retryAfter = response.getHeaderString("Retry-After");
        if (response.getStatus() == UPLOAD_INCOMPLETE) {
            return ProviderCallException.fromHttp(FailureKind.RETRYABLE, DeepgramProvider.NAME, UPLOAD_INCOMPLETE,
                    body, retryAfter);
        }
        return ProviderCallException.fromHttp(DeepgramProvider.NAME, response.getStatus(), body, retryAfter);
    }
}
