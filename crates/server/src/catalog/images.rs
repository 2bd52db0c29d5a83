//! Product pictures drawn on the server: one SVG per listing and view, from the listing's
//! picture recipe (`art`: a motif and two colours). Nothing is downloaded; every picture
//! is a few kilobytes and the same recipe always gives the same bytes.
//!
//! Views: 1 the product on a soft background, 2 a close-up, 3 the retail box with the
//! brand on it.

/// How many pictures each listing has.
pub const VIEWS: u8 = 3;

/// Side of the square pictures, in CSS pixels.
pub const SIZE: u32 = 400;

/// The SVG for view `view` (1..=[`VIEWS`]) of a listing drawn from `art`, labelled
/// `title` and branded `brand`. `None` for a view that does not exist.
pub fn render(art: &str, title: &str, brand: &str, view: u8) -> Option<String> {
    if !(1..=VIEWS).contains(&view) {
        return None;
    }
    let mut parts = art.split_whitespace();
    let motif = parts.next().unwrap_or("box");
    let primary = colour(parts.next()).unwrap_or("#4b5058");
    let accent = colour(parts.next()).unwrap_or("#c9a227");
    let body = motif_svg(motif)
        .replace("$P", primary)
        .replace("$A", accent);
    let mut svg = String::with_capacity(body.len() + 800);
    svg.push_str(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 400\" width=\"400\" height=\"400\" role=\"img\">",
    );
    svg.push_str("<title>");
    svg.push_str(&crossdock_core::xml::escape(title));
    svg.push_str("</title>");
    match view {
        1 => {
            svg.push_str(&format!(
                "<rect width=\"400\" height=\"400\" fill=\"{}\"/>\
                 <ellipse cx=\"200\" cy=\"352\" rx=\"130\" ry=\"14\" fill=\"#000\" opacity=\".08\"/>",
                tint(accent, 88)
            ));
            svg.push_str(&body);
        }
        2 => {
            svg.push_str(&format!(
                "<rect width=\"400\" height=\"400\" fill=\"{}\"/>\
                 <g transform=\"translate(-110 -120) scale(1.55)\">",
                tint(primary, 90)
            ));
            svg.push_str(&body);
            svg.push_str("</g>");
        }
        _ => {
            svg.push_str(&format!(
                "<rect width=\"400\" height=\"400\" fill=\"{bg}\"/>\
                 <ellipse cx=\"200\" cy=\"345\" rx=\"140\" ry=\"14\" fill=\"#000\" opacity=\".08\"/>\
                 <path d=\"M90 130 L200 95 L310 130 L200 165Z\" fill=\"{top}\"/>\
                 <path d=\"M90 130 L200 165 V340 L90 305Z\" fill=\"{p}\"/>\
                 <path d=\"M310 130 L200 165 V340 L310 305Z\" fill=\"{side}\"/>\
                 <text x=\"145\" y=\"245\" font-family=\"system-ui,sans-serif\" font-size=\"20\" \
                 font-weight=\"700\" text-anchor=\"middle\" fill=\"{ink}\" \
                 transform=\"rotate(18 145 245)\">{brand}</text>\
                 <g transform=\"translate(215 190) scale(.22)\">",
                bg = tint(accent, 90),
                top = tint(primary, 40),
                p = primary,
                side = shade(primary),
                brand = crossdock_core::xml::escape(brand),
                ink = if light(primary) { "#1f2328" } else { "#ffffff" },
            ));
            svg.push_str(&body);
            svg.push_str("</g>");
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// `#rrggbb` if `s` is exactly that, so nothing else ever reaches the SVG.
fn colour(s: Option<&str>) -> Option<&str> {
    let s = s?;
    let hex = s.strip_prefix('#')?;
    (hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(s)
}

fn rgb(hex: &str) -> (u32, u32, u32) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x80_80_80);
    ((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff)
}

/// `hex` mixed with `percent` % white.
fn tint(hex: &str, percent: u32) -> String {
    let (r, g, b) = rgb(hex);
    let mix = |c: u32| (c * (100 - percent) + 255 * percent) / 100;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// Whether dark text reads better than white on `hex`.
fn light(hex: &str) -> bool {
    let (r, g, b) = rgb(hex);
    r * 299 + g * 587 + b * 114 > 160_000
}

/// `hex` darkened by a quarter.
fn shade(hex: &str) -> String {
    let (r, g, b) = rgb(hex);
    format!("#{:02x}{:02x}{:02x}", r * 3 / 4, g * 3 / 4, b * 3 / 4)
}

/// The drawing of a motif in a 400 × 400 box; `$P` is the main colour, `$A` the accent.
fn motif_svg(motif: &str) -> &'static str {
    match motif {
        "charger" => {
            r##"<rect x="160" y="268" width="14" height="56" rx="3" fill="#9aa0a6"/><rect x="226" y="268" width="14" height="56" rx="3" fill="#9aa0a6"/><rect x="125" y="110" width="150" height="165" rx="28" fill="$P"/><rect x="145" y="128" width="110" height="8" rx="4" fill="#fff" opacity=".25"/><rect x="172" y="190" width="56" height="18" rx="9" fill="#0007"/><rect x="172" y="222" width="56" height="18" rx="9" fill="#0007"/><circle cx="200" cy="162" r="6" fill="$A"/>"##
        }
        "cable" => {
            r##"<g fill="none" stroke="$P" stroke-width="12" stroke-linecap="round"><ellipse cx="200" cy="220" rx="95" ry="52"/><ellipse cx="200" cy="212" rx="72" ry="38"/><path d="M105 225 C 90 290, 70 310, 82 336"/><path d="M295 215 C 322 170, 330 130, 318 104"/></g><rect x="68" y="330" width="28" height="46" rx="7" fill="#c4c8cc"/><rect x="304" y="62" width="28" height="46" rx="7" fill="#c4c8cc"/><rect x="76" y="372" width="12" height="12" rx="2" fill="$A"/><rect x="312" y="52" width="12" height="12" rx="2" fill="$A"/>"##
        }
        "phone_case" => {
            r##"<rect x="135" y="68" width="130" height="264" rx="28" fill="$P" fill-opacity=".45" stroke="$P" stroke-width="9"/><rect x="150" y="86" width="58" height="74" rx="16" fill="#0005"/><circle cx="167" cy="105" r="11" fill="#1f2328"/><circle cx="191" cy="105" r="11" fill="#1f2328"/><circle cx="179" cy="139" r="11" fill="#1f2328"/><circle cx="200" cy="232" r="36" fill="none" stroke="$A" stroke-width="6" opacity=".85"/>"##
        }
        "screen_protector" => {
            r##"<rect x="115" y="84" width="132" height="252" rx="24" fill="#2b2f36"/><rect x="123" y="92" width="116" height="236" rx="18" fill="$A" opacity=".45"/><rect x="158" y="62" width="132" height="252" rx="24" fill="#dff3ff" fill-opacity=".55" stroke="#9cc9e6" stroke-width="3"/><path d="M180 100 l44 -22 M186 136 l80 -42" stroke="#fff" stroke-width="7" stroke-linecap="round" opacity=".8"/>"##
        }
        "earbuds" => {
            r##"<rect x="118" y="182" width="164" height="122" rx="52" fill="$P"/><rect x="118" y="204" width="164" height="6" fill="#0002"/><circle cx="200" cy="262" r="5" fill="$A"/><g fill="$P" stroke="#0003" stroke-width="3"><ellipse cx="162" cy="128" rx="30" ry="25"/><rect x="154" y="134" width="16" height="62" rx="8"/><ellipse cx="240" cy="128" rx="30" ry="25"/><rect x="232" y="134" width="16" height="62" rx="8"/></g>"##
        }
        "car_mount" => {
            r##"<rect x="108" y="76" width="184" height="152" rx="20" fill="#2b2f36"/><rect x="116" y="84" width="168" height="136" rx="14" fill="$A" opacity=".45"/><rect x="186" y="228" width="28" height="62" fill="$P"/><circle cx="200" cy="298" r="28" fill="$P"/><rect x="148" y="318" width="104" height="22" rx="8" fill="#5b5f66"/>"##
        }
        "power_bank" => {
            r##"<rect x="118" y="86" width="164" height="236" rx="26" fill="$P"/><path d="M207 146 l-32 54 h25 l-10 46 l36 -60 h-25 z" fill="#fff" opacity=".85"/><g fill="$A"><circle cx="174" cy="292" r="5"/><circle cx="191" cy="292" r="5"/><circle cx="208" cy="292" r="5"/><circle cx="225" cy="292" r="5"/></g>"##
        }
        "power_station" => {
            r##"<rect x="108" y="96" width="184" height="34" rx="12" fill="#3b3d40"/><rect x="88" y="126" width="224" height="180" rx="20" fill="$P"/><rect x="108" y="150" width="96" height="64" rx="6" fill="#111"/><rect x="118" y="164" width="56" height="12" fill="$A"/><rect x="118" y="184" width="36" height="12" fill="$A" opacity=".6"/><circle cx="242" cy="180" r="18" fill="#222"/><circle cx="284" cy="180" r="14" fill="#222"/><rect x="112" y="236" width="176" height="48" rx="8" fill="#0003"/>"##
        }
        "tshirt" => {
            r##"<path d="M150 88 L108 108 L66 160 L108 192 L130 172 L130 332 L270 332 L270 172 L292 192 L334 160 L292 108 L250 88 Q200 132 150 88 Z" fill="$P"/><path d="M168 94 Q200 122 232 94" fill="none" stroke="#0003" stroke-width="6"/><rect x="226" y="150" width="22" height="26" rx="3" fill="$A" opacity=".7"/>"##
        }
        "hoodie" => {
            r##"<path d="M150 100 L100 120 L68 302 L110 312 L130 200 L130 334 L270 334 L270 200 L290 312 L332 302 L300 120 L250 100 Z" fill="$P"/><path d="M150 100 Q200 36 250 100 Q200 152 150 100Z" fill="$P" stroke="#0003" stroke-width="5"/><rect x="158" y="242" width="84" height="52" rx="12" fill="#0002"/><path d="M190 132 v52 M210 132 v52" stroke="$A" stroke-width="4" stroke-linecap="round"/>"##
        }
        "jacket" => {
            r##"<path d="M145 90 L95 115 L70 302 L110 310 L128 190 L128 334 L272 334 L272 190 L290 310 L330 302 L305 115 L255 90 Q200 118 145 90Z" fill="$P"/><g stroke="#0003" stroke-width="5"><path d="M128 150 H272 M128 200 H272 M128 250 H272 M128 300 H272 M82 200 L120 205 M280 205 L318 200"/></g><path d="M200 106 V334" stroke="$A" stroke-width="5"/>"##
        }
        "dress" => {
            r##"<path d="M170 78 L160 150 Q150 170 165 182 L108 334 L292 334 L235 182 Q250 170 240 150 L230 78 L214 78 Q200 110 186 78Z" fill="$P"/><path d="M162 182 H238" stroke="$A" stroke-width="9"/><path d="M150 250 Q200 262 250 250 M130 300 Q200 314 270 300" stroke="#0002" stroke-width="4" fill="none"/>"##
        }
        "sneaker" => {
            r##"<path d="M78 252 Q88 180 150 170 L200 148 Q232 190 282 200 Q332 210 332 252 L332 272 L78 272Z" fill="$P"/><rect x="72" y="266" width="266" height="30" rx="13" fill="#f4f4f2" stroke="#0002" stroke-width="3"/><g stroke="$A" stroke-width="5" stroke-linecap="round"><path d="M168 182 l18 20 M190 174 l18 20 M212 168 l18 20"/></g><path d="M100 240 Q200 230 320 248" stroke="#fff" stroke-width="4" fill="none" opacity=".5"/>"##
        }
        "beanie" => {
            r##"<path d="M108 262 Q108 118 200 118 Q292 118 292 262Z" fill="$P"/><rect x="98" y="246" width="204" height="52" rx="15" fill="$P" stroke="#0003" stroke-width="4"/><circle cx="200" cy="108" r="28" fill="$A"/><g stroke="#0002" stroke-width="4"><path d="M130 252 V296 M160 252 V296 M190 252 V296 M220 252 V296 M250 252 V296 M280 252 V296"/></g>"##
        }
        "brake_pads" => {
            r##"<path d="M88 168 Q200 96 312 168 L292 220 Q200 166 108 220Z" fill="#5b5f66"/><path d="M100 174 Q200 112 300 174 L284 206 Q200 158 116 206Z" fill="$P"/><g transform="translate(0 100)"><path d="M88 168 Q200 96 312 168 L292 220 Q200 166 108 220Z" fill="#5b5f66"/><path d="M100 174 Q200 112 300 174 L284 206 Q200 158 116 206Z" fill="$P"/></g><path d="M200 130 V170" stroke="$A" stroke-width="6"/>"##
        }
        "brake_disc" => {
            r##"<circle cx="200" cy="205" r="135" fill="#b8bcc2"/><circle cx="200" cy="205" r="135" fill="none" stroke="#8d9096" stroke-width="6"/><g fill="#8d9096"><circle cx="200" cy="103" r="8"/><circle cx="272" cy="133" r="8"/><circle cx="302" cy="205" r="8"/><circle cx="272" cy="277" r="8"/><circle cx="200" cy="307" r="8"/><circle cx="128" cy="277" r="8"/><circle cx="98" cy="205" r="8"/><circle cx="128" cy="133" r="8"/></g><g stroke="#8d9096" stroke-width="5" stroke-linecap="round"><path d="M232 96 l20 10 M310 170 l6 22 M250 312 l-20 8 M104 246 l-6 -22"/></g><circle cx="200" cy="205" r="64" fill="$P"/><circle cx="200" cy="205" r="24" fill="#fff" opacity=".8"/><g fill="#0005"><circle cx="200" cy="165" r="6"/><circle cx="238" cy="205" r="6"/><circle cx="200" cy="245" r="6"/><circle cx="162" cy="205" r="6"/></g>"##
        }
        "bulb" => {
            r##"<circle cx="200" cy="160" r="110" fill="$A" opacity=".18"/><path d="M200 78 a82 82 0 0 1 52 146 q-10 10 -10 28 h-84 q0 -18 -10 -28 a82 82 0 0 1 52 -146z" fill="#fff3c4" stroke="$A" stroke-width="5"/><rect x="158" y="252" width="84" height="52" rx="6" fill="#b8bcc2"/><path d="M158 268 h84 M158 286 h84" stroke="#8d9096" stroke-width="5"/><rect x="180" y="304" width="40" height="18" rx="6" fill="$P"/>"##
        }
        "wiper" => {
            r##"<path d="M58 256 L342 168" stroke="#2b2f36" stroke-width="16" stroke-linecap="round"/><path d="M58 270 L342 182" stroke="$P" stroke-width="6"/><rect x="182" y="198" width="44" height="26" rx="6" fill="$A" transform="rotate(-17 204 211)"/><path d="M204 200 L250 80" stroke="#2b2f36" stroke-width="10" stroke-linecap="round"/>"##
        }
        "floor_mat" => {
            r##"<path d="M110 86 L290 86 Q312 86 312 108 L300 322 Q298 344 276 344 L124 344 Q102 344 100 322 L88 108 Q88 86 110 86Z" fill="$P"/><path d="M132 128 h136 M132 168 h136 M132 208 h136 M132 248 h136 M132 288 h136" stroke="#0003" stroke-width="11" stroke-linecap="round"/><rect x="180" y="310" width="40" height="14" rx="4" fill="$A"/>"##
        }
        "coil" => {
            r##"<rect x="168" y="66" width="64" height="64" rx="10" fill="$P"/><rect x="232" y="82" width="42" height="28" rx="4" fill="#5b5f66"/><rect x="181" y="130" width="38" height="172" rx="10" fill="#2b2f36"/><rect x="175" y="300" width="50" height="32" rx="8" fill="$A"/><g stroke="#0003" stroke-width="4"><path d="M181 170 h38 M181 210 h38 M181 250 h38"/></g>"##
        }
        "kettle" => {
            r##"<path d="M262 168 Q324 180 302 282 L270 292" fill="none" stroke="$P" stroke-width="18"/><path d="M142 160 L98 128" stroke="$P" stroke-width="16" stroke-linecap="round"/><path d="M140 138 L128 322 H272 L260 138Z" fill="$P"/><path d="M140 138 Q200 106 260 138" fill="$P" stroke="#0002" stroke-width="4"/><rect x="150" y="178" width="16" height="112" rx="8" fill="$A" opacity=".75"/><rect x="118" y="320" width="164" height="24" rx="9" fill="#2b2f36"/>"##
        }
        "air_fryer" => {
            r##"<rect x="108" y="86" width="184" height="248" rx="42" fill="$P"/><circle cx="200" cy="138" r="24" fill="#2b2f36"/><circle cx="200" cy="138" r="7" fill="$A"/><rect x="128" y="198" width="144" height="114" rx="18" fill="#0002"/><rect x="168" y="240" width="64" height="18" rx="9" fill="#2b2f36"/>"##
        }
        "blender" => {
            r##"<path d="M148 66 H252 L242 250 H158Z" fill="#dff3ff" fill-opacity=".6" stroke="#9cc9e6" stroke-width="4"/><path d="M158 168 H242 L238 250 H162Z" fill="$A" opacity=".75"/><rect x="156" y="52" width="88" height="20" rx="6" fill="#2b2f36"/><rect x="138" y="250" width="124" height="82" rx="16" fill="$P"/><circle cx="200" cy="291" r="13" fill="#fff" opacity=".7"/>"##
        }
        "vacuum" => {
            r##"<path d="M150 172 Q170 108 232 118 L242 172" fill="none" stroke="$P" stroke-width="20"/><rect x="88" y="168" width="204" height="72" rx="36" fill="$P"/><path d="M292 204 L344 204" stroke="#2b2f36" stroke-width="24" stroke-linecap="round"/><rect x="108" y="184" width="64" height="40" rx="16" fill="$A" opacity=".6"/>"##
        }
        "fan" => {
            r##"<rect x="190" y="268" width="20" height="54" fill="$P"/><rect x="138" y="316" width="124" height="22" rx="11" fill="$P"/><circle cx="200" cy="168" r="102" fill="#fff" fill-opacity=".4" stroke="$P" stroke-width="10"/><g fill="$A" opacity=".85"><ellipse cx="200" cy="118" rx="22" ry="44"/><ellipse cx="200" cy="218" rx="22" ry="44"/><ellipse cx="150" cy="168" rx="44" ry="22"/><ellipse cx="250" cy="168" rx="44" ry="22"/></g><circle cx="200" cy="168" r="17" fill="$P"/>"##
        }
        "chair" => {
            r##"<rect x="140" y="68" width="120" height="144" rx="30" fill="$P"/><path d="M124 198 V232 M276 198 V232" stroke="#2b2f36" stroke-width="9" stroke-linecap="round"/><rect x="124" y="208" width="152" height="42" rx="15" fill="$P"/><rect x="192" y="250" width="16" height="60" fill="#2b2f36"/><path d="M118 332 L200 306 L282 332 M200 306 V336" stroke="#2b2f36" stroke-width="10" stroke-linecap="round"/><g fill="#2b2f36"><circle cx="118" cy="338" r="9"/><circle cx="282" cy="338" r="9"/><circle cx="200" cy="342" r="9"/></g><rect x="168" y="96" width="64" height="8" rx="4" fill="$A" opacity=".7"/>"##
        }
        "sofa" => {
            r##"<rect x="70" y="156" width="260" height="104" rx="22" fill="$P"/><rect x="94" y="228" width="212" height="52" rx="12" fill="$P" stroke="#0002" stroke-width="4"/><path d="M165 232 V278 M235 232 V278" stroke="#0002" stroke-width="4"/><rect x="48" y="178" width="52" height="112" rx="18" fill="$P" stroke="#0002" stroke-width="4"/><rect x="300" y="178" width="52" height="112" rx="18" fill="$P" stroke="#0002" stroke-width="4"/><rect x="78" y="290" width="10" height="26" fill="#6b4a2f"/><rect x="312" y="290" width="10" height="26" fill="#6b4a2f"/><rect x="120" y="186" width="56" height="44" rx="10" fill="$A" opacity=".8"/>"##
        }
        "desk" => {
            r##"<rect x="150" y="96" width="92" height="54" rx="4" fill="#2b2f36"/><rect x="156" y="102" width="80" height="42" fill="$A" opacity=".55"/><rect x="68" y="150" width="264" height="22" rx="6" fill="$P"/><rect x="108" y="172" width="16" height="150" fill="#2b2f36"/><rect x="276" y="172" width="16" height="150" fill="#2b2f36"/><rect x="88" y="320" width="56" height="10" rx="4" fill="#2b2f36"/><rect x="256" y="320" width="56" height="10" rx="4" fill="#2b2f36"/>"##
        }
        "shelf" => {
            r##"<rect x="108" y="58" width="184" height="294" fill="none" stroke="$P" stroke-width="12"/><path d="M108 128 H292 M108 198 H292 M108 268 H292" stroke="$P" stroke-width="10"/><rect x="128" y="86" width="14" height="40" fill="$A"/><rect x="146" y="92" width="14" height="34" fill="#3d8bd4"/><rect x="164" y="88" width="14" height="38" fill="#c2653c"/><circle cx="250" cy="176" r="17" fill="#4c9a52"/><rect x="236" y="236" width="32" height="30" fill="$A"/>"##
        }
        "nightstand" => {
            r##"<path d="M176 128 L186 88 H214 L224 128Z" fill="$A"/><rect x="118" y="128" width="164" height="172" rx="8" fill="$P"/><rect x="130" y="144" width="140" height="66" rx="4" fill="#0001" stroke="#0002" stroke-width="3"/><rect x="130" y="220" width="140" height="66" rx="4" fill="#0001" stroke="#0002" stroke-width="3"/><rect x="185" y="172" width="30" height="8" rx="4" fill="$A"/><rect x="185" y="248" width="30" height="8" rx="4" fill="$A"/><rect x="128" y="300" width="12" height="32" fill="#2b2f36"/><rect x="260" y="300" width="12" height="32" fill="#2b2f36"/>"##
        }
        "desk_lamp" => {
            r##"<path d="M272 170 L226 304 L336 284Z" fill="#ffe9a8" opacity=".6"/><rect x="128" y="310" width="124" height="22" rx="11" fill="$P"/><path d="M190 312 L158 200 L250 120" fill="none" stroke="$P" stroke-width="12" stroke-linecap="round" stroke-linejoin="round"/><path d="M228 98 L302 150 L270 178 Z" fill="$P"/><circle cx="158" cy="200" r="9" fill="$A"/>"##
        }
        "pendant" => {
            r##"<path d="M200 30 V150" stroke="#2b2f36" stroke-width="4"/><path d="M108 262 Q108 150 200 150 Q292 150 292 262Z" fill="$P"/><g stroke="#0002" stroke-width="4" fill="none"><path d="M128 200 Q200 180 272 200 M116 236 Q200 216 284 236"/></g><ellipse cx="200" cy="262" rx="92" ry="14" fill="#0002"/><circle cx="200" cy="272" r="20" fill="#ffe9a8"/><circle cx="200" cy="272" r="44" fill="#ffe9a8" opacity=".3"/>"##
        }
        "string_lights" => {
            r##"<path d="M36 120 Q120 210 200 130 T364 142" fill="none" stroke="#5b5650" stroke-width="4"/><path d="M36 236 Q120 326 200 246 T364 258" fill="none" stroke="#5b5650" stroke-width="4"/><g fill="$A" opacity=".35"><circle cx="76" cy="158" r="18"/><circle cx="124" cy="172" r="18"/><circle cx="170" cy="152" r="18"/><circle cx="232" cy="128" r="18"/><circle cx="284" cy="146" r="18"/><circle cx="330" cy="150" r="18"/><circle cx="76" cy="274" r="18"/><circle cx="124" cy="288" r="18"/><circle cx="170" cy="268" r="18"/><circle cx="232" cy="244" r="18"/><circle cx="284" cy="262" r="18"/><circle cx="330" cy="266" r="18"/></g><g fill="#fff3c4"><circle cx="76" cy="158" r="8"/><circle cx="124" cy="172" r="8"/><circle cx="170" cy="152" r="8"/><circle cx="232" cy="128" r="8"/><circle cx="284" cy="146" r="8"/><circle cx="330" cy="150" r="8"/><circle cx="76" cy="274" r="8"/><circle cx="124" cy="288" r="8"/><circle cx="170" cy="268" r="8"/><circle cx="232" cy="244" r="8"/><circle cx="284" cy="262" r="8"/><circle cx="330" cy="266" r="8"/></g>"##
        }
        "led_strip" => {
            r##"<circle cx="200" cy="200" r="112" fill="none" stroke="#f4f4f2" stroke-width="28"/><circle cx="200" cy="200" r="112" fill="none" stroke="$A" stroke-width="10" stroke-dasharray="6 14"/><circle cx="200" cy="200" r="72" fill="none" stroke="#f4f4f2" stroke-width="28"/><circle cx="200" cy="200" r="72" fill="none" stroke="$P" stroke-width="10" stroke-dasharray="6 14"/><circle cx="200" cy="200" r="40" fill="#3b3d40"/>"##
        }
        "floor_lamp" => {
            r##"<ellipse cx="200" cy="176" rx="80" ry="8" fill="#ffe9a8"/><path d="M200 170 V340" stroke="#2b2f36" stroke-width="8"/><path d="M200 300 L148 346 M200 300 L252 346" stroke="#2b2f36" stroke-width="8" stroke-linecap="round"/><path d="M138 82 L262 82 L284 170 L116 170Z" fill="$P"/><path d="M150 100 H250" stroke="$A" stroke-width="5" opacity=".6"/>"##
        }
        "plant_pot" => {
            r##"<g fill="#4c9a52"><path d="M200 192 Q148 120 168 56 Q212 120 200 192Z"/><path d="M200 192 Q252 108 304 120 Q262 172 200 192Z"/><path d="M200 192 Q128 150 96 160 Q138 202 200 192Z"/></g><path d="M130 200 H270 L255 332 H145Z" fill="$P"/><rect x="120" y="188" width="160" height="26" rx="6" fill="$P" stroke="#0002" stroke-width="3"/><path d="M150 260 H250" stroke="$A" stroke-width="6" opacity=".7"/>"##
        }
        "hose" => {
            r##"<circle cx="190" cy="214" r="102" fill="none" stroke="$P" stroke-width="22"/><circle cx="190" cy="214" r="64" fill="none" stroke="$P" stroke-width="22" opacity=".85"/><path d="M292 214 Q330 180 318 120" fill="none" stroke="$P" stroke-width="20"/><rect x="300" y="72" width="34" height="58" rx="8" fill="$A"/><rect x="306" y="60" width="22" height="16" rx="3" fill="#c9a227"/>"##
        }
        "tools" => {
            r##"<path d="M128 86 Q172 118 162 204 L138 204 Q106 130 128 86Z" fill="#b8bcc2"/><rect x="138" y="204" width="22" height="124" rx="9" fill="$P"/><path d="M240 86 v72 M259 86 v72 M278 86 v72" stroke="#b8bcc2" stroke-width="9" stroke-linecap="round"/><path d="M234 156 H284 L272 204 H246Z" fill="#b8bcc2"/><rect x="248" y="204" width="22" height="124" rx="9" fill="$P"/><rect x="138" y="300" width="22" height="10" fill="$A"/><rect x="248" y="300" width="22" height="10" fill="$A"/>"##
        }
        "basket" => {
            r##"<path d="M140 170 Q140 126 172 126 M260 170 Q260 126 228 126" fill="none" stroke="$A" stroke-width="10" stroke-linecap="round"/><path d="M98 168 H302 L282 322 Q280 338 264 338 H136 Q120 338 118 322Z" fill="$P"/><g stroke="#0002" stroke-width="6"><path d="M103 204 H297 M108 240 H292 M112 276 H288 M116 308 H284"/></g>"##
        }
        "cushion" => {
            r##"<path d="M88 108 Q200 130 312 108 Q290 210 312 312 Q200 290 88 312 Q110 210 88 108Z" fill="$P"/><path d="M118 140 Q200 156 282 140 M118 282 Q200 266 282 282" stroke="#0002" stroke-width="5" fill="none"/><circle cx="200" cy="210" r="12" fill="$A"/>"##
        }
        "teapot" => {
            r##"<path d="M112 214 Q62 204 60 150" fill="none" stroke="$P" stroke-width="16" stroke-linecap="round"/><path d="M288 200 Q342 212 332 272 Q312 284 286 262" fill="none" stroke="$P" stroke-width="14"/><ellipse cx="200" cy="232" rx="92" ry="76" fill="$P"/><rect x="168" y="142" width="64" height="18" rx="9" fill="$A"/><circle cx="200" cy="136" r="11" fill="$A"/><path d="M168 232 q32 -32 64 0 q-32 32 -64 0z" fill="$A" opacity=".7"/><path d="M56 312 h54 l-7 34 h-40z M300 312 h54 l-7 34 h-40z" fill="$P"/>"##
        }
        "blocks" => {
            r##"<g fill="#3d8bd4"><rect x="196" y="270" width="110" height="56" rx="4"/><rect x="206" y="256" width="22" height="16" rx="3"/><rect x="240" y="256" width="22" height="16" rx="3"/><rect x="274" y="256" width="22" height="16" rx="3"/></g><g fill="$P"><rect x="94" y="216" width="124" height="62" rx="4"/><rect x="106" y="200" width="24" height="18" rx="3"/><rect x="144" y="200" width="24" height="18" rx="3"/><rect x="182" y="200" width="24" height="18" rx="3"/></g><g fill="$A"><rect x="176" y="146" width="124" height="62" rx="4"/><rect x="188" y="130" width="24" height="18" rx="3"/><rect x="226" y="130" width="24" height="18" rx="3"/><rect x="264" y="130" width="24" height="18" rx="3"/></g>"##
        }
        "plush" => {
            r##"<circle cx="138" cy="106" r="32" fill="$P"/><circle cx="262" cy="106" r="32" fill="$P"/><ellipse cx="200" cy="290" rx="92" ry="72" fill="$P"/><circle cx="200" cy="160" r="82" fill="$P"/><ellipse cx="200" cy="186" rx="36" ry="27" fill="#fff" opacity=".55"/><circle cx="168" cy="144" r="8" fill="#1f2328"/><circle cx="232" cy="144" r="8" fill="#1f2328"/><circle cx="200" cy="178" r="9" fill="#1f2328"/><ellipse cx="200" cy="300" rx="42" ry="34" fill="$A" opacity=".55"/>"##
        }
        "rc_car" => {
            r##"<rect x="300" y="112" width="7" height="66" fill="#5b5f66"/><path d="M68 252 L100 190 L170 170 L262 170 L312 200 L342 252Z" fill="$P"/><path d="M150 180 L170 138 H250 L272 180Z" fill="#dff3ff" opacity=".85" stroke="$P" stroke-width="6"/><circle cx="120" cy="266" r="40" fill="#1f2328"/><circle cx="120" cy="266" r="15" fill="$A"/><circle cx="290" cy="266" r="40" fill="#1f2328"/><circle cx="290" cy="266" r="15" fill="$A"/>"##
        }
        "puzzle" => {
            r##"<rect x="108" y="108" width="92" height="92" fill="$P"/><circle cx="200" cy="154" r="17" fill="$P"/><rect x="200" y="108" width="92" height="92" fill="$A"/><circle cx="246" cy="200" r="17" fill="$A"/><rect x="108" y="200" width="92" height="92" fill="#3d8bd4"/><circle cx="154" cy="200" r="17" fill="#3d8bd4"/><g transform="rotate(12 262 262)"><rect x="216" y="216" width="92" height="92" fill="#f2b632"/><circle cx="216" cy="262" r="17" fill="#f2b632"/></g>"##
        }
        "crayons" => {
            r##"<g><rect x="104" y="130" width="28" height="178" rx="4" fill="#d0342c"/><path d="M104 130 L118 92 L132 130Z" fill="#d0342c"/><rect x="142" y="130" width="28" height="178" rx="4" fill="$P"/><path d="M142 130 L156 92 L170 130Z" fill="$P"/><rect x="180" y="130" width="28" height="178" rx="4" fill="#f2b632"/><path d="M180 130 L194 92 L208 130Z" fill="#f2b632"/><rect x="218" y="130" width="28" height="178" rx="4" fill="$A"/><path d="M218 130 L232 92 L246 130Z" fill="$A"/><rect x="256" y="130" width="28" height="178" rx="4" fill="#4c9a52"/><path d="M256 130 L270 92 L284 130Z" fill="#4c9a52"/></g><path d="M104 170 H284 M104 270 H284" stroke="#fff" stroke-width="6" opacity=".5"/>"##
        }
        "lipstick" => {
            r##"<path d="M176 170 V108 L224 78 V170Z" fill="$P"/><rect x="166" y="168" width="68" height="58" rx="4" fill="#c9a227"/><rect x="158" y="222" width="84" height="112" rx="8" fill="#2b2f36"/><rect x="158" y="240" width="84" height="6" fill="$A" opacity=".6"/>"##
        }
        "jar" => {
            r##"<rect x="118" y="188" width="164" height="134" rx="26" fill="#efe9e4" stroke="#0001" stroke-width="3"/><rect x="110" y="148" width="180" height="52" rx="14" fill="$P"/><rect x="148" y="234" width="104" height="42" rx="6" fill="$A" opacity=".65"/>"##
        }
        "serum" => {
            r##"<ellipse cx="200" cy="106" rx="23" ry="19" fill="$P"/><rect x="172" y="118" width="56" height="56" rx="6" fill="#2b2f36"/><rect x="158" y="170" width="84" height="162" rx="14" fill="#b06a2a" opacity=".85"/><rect x="170" y="220" width="60" height="62" rx="4" fill="#efe9e4"/><rect x="180" y="236" width="40" height="6" fill="$P"/><rect x="180" y="250" width="28" height="5" fill="$A"/>"##
        }
        "palette" => {
            r##"<rect x="78" y="116" width="244" height="176" rx="14" fill="#2b2f36"/><g><rect x="98" y="136" width="44" height="40" rx="6" fill="$P"/><rect x="152" y="136" width="44" height="40" rx="6" fill="$A"/><rect x="206" y="136" width="44" height="40" rx="6" fill="#d6a88f"/><rect x="260" y="136" width="44" height="40" rx="6" fill="#7d2a4a"/><rect x="98" y="186" width="44" height="40" rx="6" fill="#efe9e4"/><rect x="152" y="186" width="44" height="40" rx="6" fill="#c9a227"/><rect x="206" y="186" width="44" height="40" rx="6" fill="$P" opacity=".6"/><rect x="260" y="186" width="44" height="40" rx="6" fill="#5b5650"/><rect x="98" y="236" width="44" height="40" rx="6" fill="#e07a5f"/><rect x="152" y="236" width="44" height="40" rx="6" fill="$A" opacity=".6"/><rect x="206" y="236" width="44" height="40" rx="6" fill="#8d9096"/><rect x="260" y="236" width="44" height="40" rx="6" fill="#c96a7c"/></g>"##
        }
        "mask" => {
            r##"<path d="M118 78 H282 L292 334 H108Z" fill="$A" opacity=".9"/><rect x="108" y="78" width="184" height="22" fill="#0002"/><ellipse cx="200" cy="212" rx="56" ry="72" fill="#fff" opacity=".88"/><circle cx="180" cy="196" r="8" fill="$P"/><circle cx="220" cy="196" r="8" fill="$P"/><path d="M184 242 Q200 254 216 242" stroke="$P" stroke-width="5" fill="none" stroke-linecap="round"/>"##
        }
        "tea_tin" => {
            r##"<rect x="128" y="128" width="144" height="204" rx="10" fill="$P"/><rect x="122" y="108" width="156" height="38" rx="8" fill="#c9a227"/><circle cx="200" cy="236" r="46" fill="#efe6d2"/><path d="M200 204 Q232 230 200 268 Q168 230 200 204Z" fill="#4c9a52"/><path d="M200 210 V262" stroke="#2f5d46" stroke-width="3"/>"##
        }
        "snack_bag" => {
            r##"<path d="M118 88 L282 88 L292 110 L282 322 L292 344 L108 344 L118 322 L108 110Z" fill="$P"/><path d="M118 100 H282 M118 332 H282" stroke="#0002" stroke-width="6" stroke-dasharray="6 6"/><circle cx="200" cy="216" r="56" fill="$A" opacity=".85"/><path d="M178 200 q22 -42 44 0 q-22 42 -44 0z" fill="#b3262e"/>"##
        }
        "noodles" => {
            r##"<path d="M118 140 H282 L262 332 H138Z" fill="$P"/><ellipse cx="200" cy="140" rx="82" ry="18" fill="#efe6d2"/><path d="M148 140 q10 -42 20 0 q10 -42 20 0 q10 -42 20 0 q10 -42 20 0 q10 -42 20 0" fill="none" stroke="#e8c77a" stroke-width="6"/><rect x="132" y="200" width="136" height="62" fill="$A" opacity=".85"/><path d="M160 230 H240" stroke="#fff" stroke-width="8" stroke-linecap="round"/>"##
        }
        "sauce" => {
            r##"<rect x="174" y="66" width="52" height="26" rx="4" fill="#c9a227"/><rect x="180" y="88" width="40" height="66" rx="6" fill="$P"/><rect x="158" y="148" width="84" height="184" rx="18" fill="$P"/><rect x="164" y="208" width="72" height="72" rx="6" fill="#efe6d2"/><circle cx="200" cy="244" r="19" fill="$A"/>"##
        }
        _ => {
            r##"<path d="M100 140 L200 100 L300 140 L200 180Z" fill="$A"/><path d="M100 140 L200 180 V330 L100 290Z" fill="$P"/><path d="M300 140 L200 180 V330 L300 290Z" fill="$P" opacity=".8"/>"##
        }
    }
}

/// Every motif the catalog's products use has its own drawing.
#[cfg(test)]
pub(crate) fn has_motif(motif: &str) -> bool {
    motif_svg(motif) != motif_svg("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_small_svg_and_escape_text() {
        let svg = render("charger #1f2328 #c9a227", "A <b> & \"c\"", "Mori & Co.", 3);
        let svg = svg.unwrap_or_default();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("A &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(svg.contains("Mori &amp; Co."));
        assert!(svg.len() < 4_000, "{}", svg.len());
        assert!(render("charger #1f2328 #c9a227", "x", "y", 0).is_none());
        assert!(render("charger #1f2328 #c9a227", "x", "y", 4).is_none());
    }

    #[test]
    fn only_hex_colours_reach_the_picture() {
        let svg = render("charger red\"/><script> #c9a227", "t", "b", 1).unwrap_or_default();
        assert!(!svg.contains("script"));
        assert!(svg.contains("#4b5058"));
    }

    #[test]
    fn tints() {
        assert_eq!(tint("#000000", 50), "#7f7f7f");
        assert_eq!(shade("#ffffff"), "#bfbfbf");
    }
}
