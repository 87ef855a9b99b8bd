package dev.speechfleet.whisper.engine;

/** whisper.cpp reported an error for one utterance. */
public class WhisperFailure extends Exception {

    public WhisperFailure(String message) {
        super(message);
    }
}
