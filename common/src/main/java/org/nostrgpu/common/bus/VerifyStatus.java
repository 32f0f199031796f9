package org.nostrgpu.common.bus;

/** The status of a whole verify reply; see {@link VerifyProtocol} for what each one promises. */
public enum VerifyStatus {
    /** Every event was handed to the backend; each verdict is that event's own. */
    OK(0),
    /** The worker's queue is full: nothing was verified; fall back at once. */
    OVERLOADED(1),
    /** The backend failed on a batch holding some of these events: nothing is reported verified. */
    DEVICE_ERROR(2),
    /** The worker is stopping and did not finish these events. */
    SHUTTING_DOWN(3),
    /** The request did not follow the protocol; the reply carries no verdicts. */
    MALFORMED_REQUEST(4);

    private final byte code;

    VerifyStatus(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The status a byte stands for, or null when it stands for none. */
    static VerifyStatus ofCode(byte code) {
        for (VerifyStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return null;
    }
}
