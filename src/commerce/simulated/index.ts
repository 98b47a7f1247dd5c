/**
 * Simulated payments: without STRIPE_SECRET_KEY, the playground's commerce runs against a
 * built-in simulated Stripe (./stripe), labelled as simulated in every reply. Only the
 * playground start path (src/app.ts) starts it, and it refuses to start beside a platform token.
 */
export { simulatedPaymentCommands, simulatedPaymentsCapability } from "./capability.js";
export { assertSimulatorAllowed, type PaymentSimulator, SIMULATED_LABEL, startPaymentSimulator, wantsPaymentSimulator } from "./simulator.js";
export type { SimulatedPayments } from "./simulated-payments.js";
