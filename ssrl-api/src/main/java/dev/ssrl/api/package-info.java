/**
 * The ssrl-java vocabulary that other projects compile against: {@link dev.ssrl.api.Task} and its
 * {@link java.util.ServiceLoader} discovery ({@link dev.ssrl.api.Tasks}), {@link
 * dev.ssrl.api.Scene}, {@link dev.ssrl.api.Sample} or {@link dev.ssrl.api.Rejection}, {@link
 * dev.ssrl.api.Verifier} and {@link dev.ssrl.api.Reward}. No image or JSON library is needed.
 */
package dev.ssrl.api;
