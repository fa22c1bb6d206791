// Paper: the expression objective, cross-entropy over the eight Aff-Wild2 expression classes.
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Losses;

/// <summary>
/// Mean cross-entropy over the frames that are valid and labelled (label ≠ −1). Padded frames never count.
/// </summary>
/// <remarks>
/// When no frame counts the loss is a zero that stays connected to the logits' graph (Σ over no frames / 1), so
/// <c>backward()</c> still works. No branch on data, no device sync.
/// </remarks>
public sealed class MaskedCrossEntropy : Module<Tensor, Tensor, Tensor?, Tensor>
{
    /// <summary>The label Aff-Wild2 uses for an unlabelled frame.</summary>
    public const long Unlabelled = -1;

    /// <summary>Creates the loss.</summary>
    public MaskedCrossEntropy() : base(nameof(MaskedCrossEntropy)) => RegisterComponents();

    /// <summary>Computes the loss.</summary>
    /// <param name="logits">Class logits [B, T, C].</param>
    /// <param name="gold">Int64 class indices [B, T] in [0, C), or −1 where unlabelled.</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public override Tensor forward(Tensor logits, Tensor gold, Tensor? valid)
    {
        LossChecks.CheckPrediction(logits, valid, null, "logits");
        LossChecks.CheckGold(gold, [logits.shape[0], logits.shape[1]], ScalarType.Int64, "convert it with gold.to_type(ScalarType.Int64).");
        using var scope = NewDisposeScope();
        var counted = LossChecks.ValidOrAll(logits, valid).logical_and(gold.ne(Unlabelled));       // [B, T]
        var target = gold.where(counted, Unlabelled).flatten();                                      // −1 = ignored  [B·T]
        var perFrame = functional.cross_entropy(logits.flatten(0, 1), target,                        // −log softmax(z)_y, 0 if ignored  [B·T]
                                                ignore_index: Unlabelled, reduction: Reduction.None);
        var n = counted.sum().to_type(logits.dtype).clamp_min(1);                                    // counted frames
        return scope.MoveToOuter(perFrame.sum() / n);                                                // mean over counted frames  []
    }
}
