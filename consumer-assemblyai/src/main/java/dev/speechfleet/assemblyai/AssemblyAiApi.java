package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.stream.FailureKind;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** AssemblyAI's pre-recorded API (provider-contracts.md §2.4); {@code Authorization} carries the raw key. */
@RegisterRestClient(configKey = "assemblyai")
@Path("/v2")
interface AssemblyAiApi {

    @POST
    @Path("/upload")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    UploadResponse upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String apiKey, byte[] audio);

    @POST
    @Path("/transcript")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    TranscriptResponse submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String apiKey, TranscriptRequest request);

    @GET
    @Path("/transcript/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    TranscriptResponse get(@HeaderParam(HttpHeaders.AUTHORIZATION) String apiKey, @PathParam("id") String id);

    /** Transcripts newest first: the newest page, or the page before {@code beforeId} (null for the newest). */
    @GET
    @Path("/transcript")
    @Produces(MediaType.APPLICATION_JSON)
    TranscriptPage list(@HeaderParam(HttpHeaders.AUTHORIZATION) String apiKey, @QueryParam("limit") int limit,
            @QueryParam("before_id") String beforeId);

    /** Removes the transcript's data and the audio uploaded for it. */
    @DELETE
    @Path("/transcript/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    TranscriptResponse delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String apiKey, @PathParam("id") String id);

    /**
     * Error statuses become classified {@link ProviderCallException}s; a 400 about a negative balance is
     * a refusal (AssemblyAI sends no 402), whatever else a 400 says is permanent.
     */
    @ClientExceptionMapper
    static ProviderCallException toException(Response response) {
        String body = response.readEntity(String.class);
        String retryAfter = response.getHeaderString("Retry-After");
        if (response.getStatus() == 400 && body != null
                && body.toLowerCase(Locale.ROOT).contains("balance is negative")) {
            return ProviderCallException.fromHttp(FailureKind.UNAVAILABLE, AssemblyAiProvider.NAME, 400, body,
                    retryAfter);
        }
        return ProviderCallException.fromHttp(AssemblyAiProvider.NAME, response.getStatus(), body, retryAfter);
    }
}
