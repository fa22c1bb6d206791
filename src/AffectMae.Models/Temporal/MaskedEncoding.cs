using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Runs a sequence-first <see cref="TransformerEncoder"/> over windows with padded frames excluded as keys, in any
/// weight type: float32 and float64 through libtorch's key padding mask, bfloat16 and float16 window by window.
/// </summary>
internal static class MaskedEncoding
{
    /// <summary>Encoder(h; keys = valid frames).</summary>
    /// <param name="encoder">The encoder; h must be in its weights' type.</param>
    /// <param name="h">Sequence-first tokens [T, B, D].</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>[T, B, D]. Rows of padded frames mean nothing.</returns>
    public static Tensor Encode(TransformerEncoder encoder, Tensor h, Tensor? valid)
    {
        if (valid is null) return encoder.call(h, null, null);
        if (h.dtype is ScalarType.Float32 or ScalarType.Float64)
        {
            using var padding = SequenceChecks.KeyPaddingMask(valid);           // true = ignore as key  [B, T]
            return encoder.call(h, null, padding);
        }
        return EncodeWithoutKeyMask(encoder, h, valid);
    }

    /// <summary>
    /// The encoder without a key padding mask, for bfloat16 and float16 weights: libtorch's C++ MultiheadAttention
    /// (libtorch 2.10) implements its key_padding_mask for float32 and float64 only ("attn_output_weights.masked_fill not
    /// implemented for 'BFloat16'") and takes only a [T, T] attention mask, shared by every window. Windows whose frames
    /// are all valid (or none, which the key padding mask leaves unmasked too) run together unmasked; each other window
    /// runs alone on its valid frames. Valid frames attend to valid frames only either way (positions, if any, were
    /// added before), so their outputs are the masked encoder's; padded rows come out as zeros.
    /// </summary>
    private static Tensor EncodeWithoutKeyMask(TransformerEncoder encoder, Tensor h, Tensor valid)
    {
        using var scope = NewDisposeScope();
        long frames = valid.shape[1];
        var counts = valid.sum(1).cpu().data<long>().ToArray();                // valid frames of each window
        var output = zeros_like(h);                                             // [T, B, D]
        var unmasked = new List<long>();
        for (int b = 0; b < counts.Length; b++)
        {
            if (counts[b] == frames || counts[b] == 0)
            {
                unmasked.Add(b);
                continue;
            }
            var index = valid[b].nonzero().squeeze(1);                          // window b's valid frames  [n]
            var encoded = encoder.call(h.narrow(1, b, 1).index_select(0, index), null, null);   // [n, 1, D]
            output.select(1, b).index_copy_(0, index, encoded.squeeze(1));
        }
        if (unmasked.Count > 0)
        {
            var windows = tensor(unmasked.ToArray(), device: h.device);         // [B']
            output.index_copy_(1, windows, encoder.call(h.index_select(1, windows), null, null));
        }
        return scope.MoveToOuter(output);
    }
}
