package dev.speechfleet.core.stream;

/**
 * Field names of an {@code assemblyai:transcript:{chunk_id}} hash: what AssemblyAI already holds for a
 * chunk, written and read by the AssemblyAI consumer only (docs/streams.md).
 */
public final class AssemblyAiTranscriptFields {
    /** The URL AssemblyAI keeps the chunk's uploaded audio under. */
    public static final String UPLOAD_URL = "upload_url";
    /** Epoch ms when a submit started; set before {@code POST /v2/transcript}. */
    public static final String SUBMITTING = "submitting";
    /** The transcript's id, once AssemblyAI answered the submit. */
    public static final String TRANSCRIPT_ID = "transcript_id";

    private AssemblyAiTranscriptFields() {
    }
}
