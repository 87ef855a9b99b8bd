package dev.speechfleet.router.delivery;

import java.util.Collection;
import java.util.Optional;

/** The started sessions of this router instance, as result delivery finds them; the session registry is one. */
public interface ResultRecipients {

    /** The socket currently serving a session. */
    Optional<? extends ResultRecipient> bySession(String sessionId);

    /** Every started session. */
    Collection<? extends ResultRecipient> sessions();
}
