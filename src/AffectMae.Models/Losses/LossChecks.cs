using static TorchSharp.torch;

namespace AffectMae.Models.Losses;

/// <summary>Argument checks shared by the masked losses, with messages that say what to change.</summary>
internal static class LossChecks
{
    /// <summary>Checks prediction [B, T, K] and the optional bool valid mask [B, T].</summary>
    /// <param name="pred">The prediction.</param>
    /// <param name="valid">Valid-frame mask, or null.</param>
    /// <param name="outputs">Required size of the last dimension, or null for any.</param>
    /// <param name="what">Name of the prediction in messages.</param>
    public static void CheckPrediction(Tensor pred, Tensor? valid, long? outputs, string what)
    {
        ArgumentNullException.ThrowIfNull(pred);
        if (pred.dim() != 3 || (outputs is { } k && pred.shape[2] != k))
            throw new ArgumentException($"{what} has shape [{string.Join(", ", pred.shape)}] but must be [batch, frames, {outputs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "classes"}].", nameof(pred));
        if (valid is null) return;
        if (valid.dtype != ScalarType.Bool)
            throw new ArgumentException($"valid has dtype {valid.dtype} but must be Bool (true = real frame); convert it with valid.to_type(ScalarType.Bool).", nameof(valid));
        if (valid.dim() != 2 || valid.shape[0] != pred.shape[0] || valid.shape[1] != pred.shape[1])
            throw new ArgumentException($"valid has shape [{string.Join(", ", valid.shape)}] but must be [{pred.shape[0]}, {pred.shape[1]}] to match {what}.", nameof(valid));
    }

    /// <summary>Checks that gold has the expected shape and dtype; <paramref name="hint"/> says how to convert.</summary>
    public static void CheckGold(Tensor gold, long[] shape, ScalarType dtype, string hint)
    {
        ArgumentNullException.ThrowIfNull(gold);
        if (!gold.shape.SequenceEqual(shape))
            throw new ArgumentException($"gold has shape [{string.Join(", ", gold.shape)}] but must be [{string.Join(", ", shape)}].", nameof(gold));
        if (gold.dtype != dtype)
            throw new ArgumentException($"gold has dtype {gold.dtype} but must be {dtype}; {hint}", nameof(gold));
    }

    /// <summary>valid, or all-true [B, T] on pred's device when valid is null.</summary>
    public static Tensor ValidOrAll(Tensor pred, Tensor? valid) =>
        valid ?? ones(pred.shape[0], pred.shape[1], dtype: ScalarType.Bool, device: pred.device);
}
