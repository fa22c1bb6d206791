using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Mae;

/// <summary>
/// The tiny MAE against facebookresearch/mae's models_mae.py, re-run in PyTorch 1.13 by Fixtures/make_fixtures.py
/// with the same weights, images and masking noise.
/// </summary>
public sealed class MaeViTParityTests : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("mae_tiny.io");

    public void Dispose()
    {
        foreach (var t in io.Values) t.Dispose();
    }

    private static MaeViT LoadTiny(bool normPixLoss = false, FeaturePooling pooling = FeaturePooling.MeanPatchTokens)
    {
        var options = MaeViTOptions.Tiny;
        options.NormPixLoss = normPixLoss;
        options.Pooling = pooling;
        var model = new MaeViT(options);
        StateDictLoader.LoadFile(model, Fixture.Path("mae_tiny.weights"));   // strict: every key must match
        model.eval();
        return model;
    }

    [Fact]
    public void Forward_gives_the_reference_loss_prediction_and_mask()
    {
        using var model = LoadTiny();

        var (loss, pred, mask) = model.Forward(io["images"], 0.75, io["noise"]);

        loss.ShouldMatch(io["loss"], "loss");
        pred.ShouldMatch(io["pred"], "pred");
        mask.ShouldMatch(io["mask"], "mask", tolerance: 0);
    }

    [Fact]
    public void Norm_pix_loss_gives_the_reference_loss()
    {
        using var model = LoadTiny(normPixLoss: true);

        var (loss, pred, _) = model.Forward(io["images"], 0.75, io["noise"]);

        loss.ShouldMatch(io["loss_norm_pix"], "norm-pix loss");
        pred.ShouldMatch(io["pred_norm_pix"], "pred");
    }

    [Fact]
    public void Encoder_gives_the_reference_latent_and_restore_order()
    {
        using var model = LoadTiny();

        var (latent, _, idsRestore) = model.ForwardEncoder(io["images"], 0.75, io["noise"]);

        latent.ShouldMatch(io["latent"], "latent");
        idsRestore.data<long>().ToArray().Should().Equal(io["ids_restore"].data<long>().ToArray());
    }

    [Fact]
    public void Features_match_the_reference_for_both_poolings()
    {
        using var meanPooled = LoadTiny();
        using var classToken = LoadTiny(pooling: FeaturePooling.ClassToken);

        meanPooled.ExtractFeatures(io["images"]).ShouldMatch(io["features_mean"], "mean-pooled features");
        classToken.ExtractFeatures(io["images"]).ShouldMatch(io["features_cls"], "class-token features");
    }

    [Fact]
    public void Changing_the_options_a_model_hands_out_changes_nothing_in_the_model()
    {
        using var model = LoadTiny();
        var options = model.Options;

        options.Pooling = FeaturePooling.ClassToken;

        model.Options.Pooling.Should().Be(FeaturePooling.MeanPatchTokens);
        model.ExtractFeatures(io["images"]).ShouldMatch(io["features_mean"], "mean-pooled features");
    }

    [Fact]
    public void Patchify_matches_the_reference_and_unpatchify_inverts_it()
    {
        using var model = new MaeViT(MaeViTOptions.Tiny);

        using var patches = model.Patchify(io["images"]);

        patches.ShouldMatch(io["patchified"], "patchify", tolerance: 0);
        model.Unpatchify(patches).ShouldMatch(io["images"], "unpatchify(patchify(x))", tolerance: 0);
    }

    [Fact]
    public void Computed_sin_cos_tables_equal_the_official_ones()
    {
        using var weights = new DisposableDictionary(SafeTensors.Load(Fixture.Path("mae_tiny.weights")));
        using var model = new MaeViT(MaeViTOptions.Tiny);
        var own = model.state_dict();

        own["pos_embed"].ShouldMatch(weights.Tensors["pos_embed"], "pos_embed", tolerance: 1e-6);
        own["decoder_pos_embed"].ShouldMatch(weights.Tensors["decoder_pos_embed"], "decoder_pos_embed", tolerance: 1e-6);
    }

    private sealed class DisposableDictionary(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (var t in Tensors.Values) t.Dispose();
        }
    }
}
