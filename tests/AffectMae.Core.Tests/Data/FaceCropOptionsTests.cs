// The crop rule that travels with a model: its checks and its JSON form (how a manifest or recipe carries it).
using System.Text.Json;
using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class FaceCropOptionsTests
{
    [Fact]
    public void Out_of_range_crop_settings_say_what_to_use()
    {
        var result = new FaceCropOptionsValidator().Validate(null, new FaceCropOptions { OutputSize = 8, Margin = -0.1 });
        result.Failures.Should().BeEquivalentTo(
            "FaceCropOptions.OutputSize must lie in [16, 2048] pixels; use 112 (Aff-Wild2's cropped_aligned size). It is 8.",
            "FaceCropOptions.Margin must lie in [0, 2] face sides; use 0.25 (a quarter of the face on every side). It is -0.1.");
    }

    [Fact]
    public void A_centre_shift_beyond_the_margin_is_refused_because_it_would_cut_the_face()
    {
        var result = new FaceCropOptionsValidator().Validate(null, new FaceCropOptions { Margin = 0.1, CenterShift = 0.2 });
        result.Failures.Should().ContainSingle().Which.Should().Contain("Keep |CenterShift| ≤ Margin: raise Margin to 0.2");
    }

    [Fact]
    public void Crop_settings_round_trip_through_json_as_a_manifest_would_carry_them()
    {
        var crop = new FaceCropOptions { OutputSize = 224, Margin = 0.3, CenterShift = 0.1, AlignEyes = false, Border = CropBorder.Replicate };
        string json = JsonSerializer.Serialize(crop);
        json.Should().Be("""{"OutputSize":224,"Margin":0.3,"CenterShift":0.1,"AlignEyes":false,"Border":"Replicate"}""");
        JsonSerializer.Deserialize<FaceCropOptions>(json).Should().BeEquivalentTo(crop);
    }
}
