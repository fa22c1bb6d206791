using AffectMae.Models.Mae;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Mae;

[Collection(GlobalRngCollection.Name)]
public class MaeViTTests
{
    [Fact]
    public void State_dict_keys_are_the_official_MAE_checkpoint_keys()
    {
        using var model = new MaeViT(MaeViTOptions.Tiny);   // depth 2, decoder depth 1
        string[] block = ["norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
                          "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"];
        var expected = new[] { "cls_token", "pos_embed", "mask_token", "decoder_pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias" }
            .Concat(new[] { 0, 1 }.SelectMany(i => block.Select(k => $"blocks.{i}.{k}")))
            .Concat(["norm.weight", "norm.bias", "decoder_embed.weight", "decoder_embed.bias"])
            .Concat(block.Select(k => $"decoder_blocks.0.{k}"))
            .Concat(["decoder_norm.weight", "decoder_norm.bias", "decoder_pred.weight", "decoder_pred.bias"]);

        model.state_dict().Keys.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void ViT_B_16_has_the_official_parameter_counts()
    {
        // Official mae_vit_base_patch16_dec512d8b: 111,907,840 parameters; the two fixed sin-cos tables hold
        // 197·768 + 197·512 = 151,296 + 100,864 = 252,160 of them, leaving 111,655,680 trainable. The encoder
        // (patch_embed, cls_token, pos_embed, blocks, norm) holds 590,592 + 768 + 151,296 + 12·7,087,872 + 1,536 = 85,798,656.
        using var model = new MaeViT(MaeViTOptions.Base16Dec512D8);

        model.parameters().Sum(p => p.numel()).Should().Be(111_907_840);
        model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()).Should().Be(111_655_680);
        model.EncoderParameters().Sum(p => p.Parameter.numel()).Should().Be(85_798_656);
    }

    [Fact]
    public void The_class_token_row_of_the_position_table_is_zero()
    {
        using var table = SinCosPositionEmbedding.Table2D(16, 2, withClsToken: true);   // [1 + 4, 16]

        table[0].abs().sum().item<float>().Should().Be(0f);
        // Row 1 + i·2 + j for i = 0, j = 1: first quarter sin(1·ω_k), ω_0 = 1 → sin(1); third quarter sin(0·ω) = 0.
        table[2, 0].item<float>().Should().BeApproximately((float)Math.Sin(1), 1e-7f);
        table[2, 8].item<float>().Should().Be(0f);
        table[2, 12].item<float>().Should().Be(1f);   // cos(i·ω_0) = cos(0)
    }

    [Theory]
    [InlineData(0.75, 4)]   // ⌊16·0.25⌋ = 4
    [InlineData(0.5, 8)]    // ⌊16·0.5⌋ = 8
    [InlineData(0.0, 16)]
    [InlineData(0.9, 1)]    // ⌊16·0.1⌋ = ⌊1.6⌋ = 1
    public void Masking_keeps_the_floor_of_L_times_one_minus_the_ratio(double ratio, int kept)
    {
        using var _ = NewDisposeScope();
        var x = randn(3, 16, 8);

        var (keptTokens, mask, idsRestore) = MaeViT.RandomMasking(x, ratio);

        keptTokens.shape.Should().Equal(3, kept, 8);
        mask.sum(1).data<float>().ToArray().Should().OnlyContain(removed => removed == 16 - kept);
        idsRestore.shape.Should().Equal(3, 16);
    }

    [Fact]
    public void Masking_keeps_the_patches_with_the_lowest_noise()
    {
        // L = 4, keep ⌊4·0.5⌋ = 2: noise 0.9, 0.1, 0.5, 0.3 → keep patches 1 and 3 (noise 0.1, 0.3), in that order.
        using var _ = NewDisposeScope();
        var x = arange(4, dtype: float32).reshape(1, 4, 1);
        var noise = tensor(new float[] { 0.9f, 0.1f, 0.5f, 0.3f }).reshape(1, 4);

        var (kept, mask, idsRestore) = MaeViT.RandomMasking(x, 0.5, noise);

        kept.flatten().data<float>().ToArray().Should().Equal(1f, 3f);
        mask.flatten().data<float>().ToArray().Should().Equal(1f, 0f, 1f, 0f);
        idsRestore.flatten().data<long>().ToArray().Should().Equal(3L, 0L, 2L, 1L);   // argsort of the shuffle [1, 3, 2, 0]
    }

    [Fact]
    public void The_same_seed_gives_the_same_mask()
    {
        using var _ = NewDisposeScope();
        var x = randn(2, 16, 4);
        torch.manual_seed(7);
        var first = MaeViT.RandomMasking(x, 0.75).Mask;
        torch.manual_seed(7);
        var second = MaeViT.RandomMasking(x, 0.75).Mask;

        first.data<float>().ToArray().Should().Equal(second.data<float>().ToArray());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_mask_ratio_outside_zero_to_one_is_rejected(double ratio)
    {
        using var model = new MaeViT(MaeViTOptions.Tiny);
        using var images = zeros(1, 3, 32, 32);

        var forward = () => model.Forward(images, ratio);

        forward.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maskRatio");
    }

    [Theory]
    [InlineData(3, 48, 48)]   // wrong size
    [InlineData(1, 32, 32)]   // wrong channel count
    public void Images_of_the_wrong_shape_are_rejected_with_the_expected_shape(int channels, int height, int width)
    {
        using var model = new MaeViT(MaeViTOptions.Tiny);
        using var images = zeros(2, channels, height, width);

        var forward = () => model.Forward(images);

        forward.Should().Throw<ArgumentException>().WithMessage("Expected images of shape [N, 3, 32, 32]*Resize the frames*");
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var options = MaeViTOptions.Tiny;
        options.PatchSize = 5;     // 32 is not a multiple of 5
        options.NumHeads = 3;      // 64 is not divisible by 3

        var build = () => new MaeViT(options);

        build.Should().Throw<ArgumentException>()
            .WithMessage("*ImageSize (32) must be a multiple of PatchSize (5)*EmbedDim (64) must be divisible by NumHeads (3)*");
    }

    [Fact]
    public void The_tiny_MAE_learns_to_reconstruct_a_fixed_batch()
    {
        torch.manual_seed(0);
        using var model = new MaeViT(MaeViTOptions.Tiny);
        // Memorising one batch with a fixed mask: images are 4×4 blocks of constant colour, one block a patch.
        using var coarse = randn(4, 3, 4, 4);
        using var images = coarse.repeat_interleave(8, 2).repeat_interleave(8, 3);
        using var noise = rand(4, 16);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.05);

        float Step()
        {
            using var _ = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Forward(images, 0.75, noise).Loss;
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        float first = Step();
        float last = first;
        for (int i = 0; i < 100; i++) last = Step();

        last.Should().BeLessThan(first * 0.5f, "100 AdamW steps on one batch must at least halve the reconstruction loss");
    }
}
