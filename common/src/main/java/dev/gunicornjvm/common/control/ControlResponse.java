package dev.gunicornjvm.common.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The master's answer: {@code ok} with a {@code status} snapshot, or not ok with an {@code error}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlResponse(int v, String id, boolean ok, MasterStatus status, Error error) {
    /** Why a request failed: a stable code for scripts, and a message for people. */
    public record Error(String code, String message) {
    }

    public static ControlResponse success(String id, MasterStatus status) {
        return new ControlResponse(ControlProtocol.VERSION, id, true, status, null);
    }

    public static ControlResponse failure(String id, String code, String message) {
        return new ControlResponse(ControlProtocol.VERSION, id, false, null, new Error(code, message));
    }
}
