// Paper: the action-unit objective, binary cross-entropy per action unit on logits.
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Losses;

/// <summary>
/// Mean binary cross-entropy with logits over the (frame, AU) elements whose frame is valid and whose label is not −1.
/// Padded frames never count.
/// </summary>
/// <remarks>
/// When no element counts the loss is a zero that stays connected to the logits' graph (Σ over no elements / 1), so
/// <c>backward()</c> still works. No branch on data, no device sync.
/// </remarks>
public sealed class MaskedBceWithLogits : Module<Tensor, Tensor, Tensor?, Tensor>
{
    /// <summary>The label Aff-Wild2 uses for an unlabelled action unit.</summary>
    public const double Unlabelled = -1.0;

    /// <summary>Creates the loss.</summary>
    public MaskedBceWithLogits() : base(nameof(MaskedBceWithLogits)) => RegisterComponents();

    /// <summary>Computes the loss.</summary>
    /// <param name="logits">AU logits [B, T, K].</param>
    /// <param name="gold">Float labels [B, T, K] in {0, 1}, or −1 where unlabelled.</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public override Tensor forward(Tensor logits, Tensor gold, Tensor? valid)
    {
        LossChecks.CheckPrediction(logits, valid, null, "logits");
        LossChecks.CheckGold(gold, logits.shape, logits.dtype, "convert it with gold.to_type(logits.dtype).");
        using var scope = NewDisposeScope();
        var counted = LossChecks.ValidOrAll(logits, valid).unsqueeze(-1).logical_and(gold.ne(Unlabelled)); // [B, T, K]
        var w = counted.to_type(logits.dtype);                                                       // 1 for a counted element
        var target = gold.where(counted, 0);                                                         // any value in [0, 1] where ignored
        var total = functional.binary_cross_entropy_with_logits(logits, target, weight: w,           // Σ w·BCE(z, y)  []
                                                                reduction: Reduction.Sum);
        return scope.MoveToOuter(total / w.sum().clamp_min(1));                                      // mean over counted elements  []
    }
}
