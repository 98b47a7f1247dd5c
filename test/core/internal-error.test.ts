// Faults on our side carry a stable code and the error that caused them (InternalError);
// refusals a member can act on stay UserFacingError.
import { describe, expect, it } from "vitest";
import { defineAction } from "../../src/core/action.js";
import { asUserFacing, InternalError } from "../../src/core/errors.js";
import { Pacer } from "../../src/platform/pacing.js";

describe("InternalError", () => {
  it("keeps its code, message and cause, and is never shown to a member as it is", () => {
    const cause = new Error("socket hang up");
    const error = new InternalError("slack_post_without_ts", "chat.postMessage returned no ts", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "InternalError", code: "slack_post_without_ts", message: "chat.postMessage returned no ts", cause });
    expect(asUserFacing(error)).toBeUndefined();
  });

  it("is what a bad definition in the code throws", () => {
    expect(() => defineAction({ name: "Not Valid", handler: async () => ({ visibility: "ephemeral", text: "" }) })).toThrow(expect.objectContaining({ name: "InternalError", code: "bad_action" }));
    expect(() => new Pacer({ perSecond: 0 })).toThrow(expect.objectContaining({ code: "bad_pacer_rate" }));
  });
});
