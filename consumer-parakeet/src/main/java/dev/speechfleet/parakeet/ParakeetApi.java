package dev.speechfleet.parakeet;

import dev.speechfleet.core.provider.ProviderCallException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/** The OpenAI-style transcription endpoint of a NIM or a community Parakeet server (provider-contracts §3.2, §3.5). */
@RegisterRestClient(configKey = "parakeet")
@Path("/v1/audio/transcriptions")
interface ParakeetApi {

    /** {@code form}: {@code file} (WAV), {@code language}, optional {@code model}, {@code response_format=json}. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    TranscriptionResponse transcribe(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            ClientMultipartForm form);

    /** Every error status ({@code {"error":…}} bodies) becomes a classified {@link ProviderCallException}. */
    @ClientExceptionMapper
    static ProviderCallException toException(Response response) {
        return ProviderCallException.fromHttp(ParakeetProvider.NAME, response.getStatus(),
                response.readEntity(String.class), response.getHeaderString("Retry-After"));
    }
}
