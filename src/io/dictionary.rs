//! The data dictionary of the input formats: one table per component of a network, scenario
//! or variant file (field, type, unit, whether it is required, its default, its meaning). The
//! field tables of `docs/network-format.md` and `docs/scenario-format.md` are rendered from it
//! (`tests/docs.rs` checks them, and rewrites them under `UPDATE_GOLDEN=1`), and a test checks
//! that every component lists exactly the fields its parser accepts.

/// One field of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The key as written in the file.
    pub name: &'static str,
    /// TOML type: `float`, `integer`, `string`, `bool`, `date`, `figure`, `table`, an array…
    pub ty: &'static str,
    /// The unit or the quantity whose units are accepted (`—` for none).
    pub unit: &'static str,
    /// `yes`, `no`, or the condition under which it is required.
    pub required: &'static str,
    /// The value used when the field is left out (`—` for none).
    pub default: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

const fn f(
    name: &'static str,
    ty: &'static str,
    unit: &'static str,
    required: &'static str,
    default: &'static str,
    meaning: &'static str,
) -> Field {
    Field {
        name,
        ty,
        unit,
        required,
        default,
        meaning,
    }
}

/// A table of a file format (a section, or an inline table such as a figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    /// The heading it is documented under.
    pub heading: &'static str,
    pub fields: &'static [Field],
}

impl Component {
    /// The field names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }

    /// The Markdown table of the component.
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "| field | type | unit | required | default | meaning |\n|---|---|---|---|---|---|\n",
        );
        for f in self.fields {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                f.name, f.ty, f.unit, f.required, f.default, f.meaning
            ));
        }
        s
    }
}

/// The component documented under `heading` in `comps`.
pub fn component<'a>(comps: &'a [Component], heading: &str) -> Option<&'a Component> {
    comps.iter().find(|c| c.heading == heading)
}

/// `doc` with the field table under each component's heading replaced by the one rendered from
/// the dictionary.
///
/// # Errors
/// The heading of a component with no table under it in `doc`.
pub fn render(doc: &str, comps: &[Component]) -> Result<String, String> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = String::with_capacity(doc.len());
    let mut done = vec![false; comps.len()];
    let mut current: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(h) = l.strip_prefix("### ").or_else(|| l.strip_prefix("## ")) {
            current = comps.iter().position(|c| c.heading == h);
        }
        if l.starts_with("| value | accepted range |") {
            // The physical ranges (`super::bounds`), wherever a document lists them.
            out.push_str(&super::bounds::markdown());
            i += 1;
            while i < lines.len() && lines[i].starts_with('|') {
                i += 1;
            }
            continue;
        }
        if l.starts_with("| field |") {
            let Some(k) = current.filter(|k| !done[*k]) else {
                return Err(format!("a field table under no component (line {})", i + 1));
            };
            out.push_str(&comps[k].markdown());
            done[k] = true;
            i += 1;
            while i < lines.len() && lines[i].starts_with('|') {
                i += 1;
            }
            continue;
        }
        out.push_str(l);
        out.push('\n');
        i += 1;
    }
    match done.iter().position(|d| !d) {
        Some(k) => Err(format!("no field table under `{}`", comps[k].heading)),
        None => Ok(out),
    }
}

/// The field tables of `docs/network-format.md`, in document order.
#[rustfmt::skip]
pub const NETWORK: &[Component] = &[
    Component {
        heading: "figure",
        fields: &[
            f("value", "float", "as `unit`", "yes", "—", "the number as published"),
            f("unit", "string", "—", "yes", "—", "one of the units accepted for the quantity (table below)"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation; tags S1…S203 refer to `routes/README.md`"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "marks the figure as an estimate and says why this value"),
        ],
    },
    Component {
        heading: "capacity",
        fields: &[
            f("value", "float", "oil flow or data rate", "yes", "—", "nameplate capacity"),
            f("unit", "string", "—", "yes", "—", "see the unit table"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why this value"),
            f("reserved", "table", "share", "no", "—", "part held by other shippers (see below)"),
            f("allocation", "figure", "oil flow or data rate", "no", "—", "contractual or intergovernmental volume for Kazakh flows (e.g. the BTC allocation)"),
            f("maximum", "figure", "oil flow or data rate", "no", "—", "stated physical maximum an `uprate` event may reach, ≥ `value`; for a data link its design (potential) capacity, `value` being what is lit"),
        ],
    },
    Component {
        heading: "reserved",
        fields: &[
            f("value", "float", "share", "yes", "—", "fraction of nominal capacity held by others, 0 ≤ share < 1"),
            f("unit", "string", "—", "yes", "—", "`fraction` or `%`"),
            f("holder", "string", "—", "yes", "—", "who holds it, e.g. `Russian shippers`"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why this value"),
        ],
    },
    Component {
        heading: "Top level",
        fields: &[
            f("format", "integer", "—", "no", "1", "network format version; this build reads `1`"),
            f("crude", "table", "—", "once, in one file", "—", "crude conversion factors"),
            f("traffic", "table", "—", "at most once", "flat traffic", "the shape of international data traffic over a day, its route factor, mobile share and destination groups"),
            f("node", "array of tables", "—", "no", "—", "`[[node]]` entries"),
            f("link", "array of tables", "—", "no", "—", "`[[link]]` entries"),
            f("store", "array of tables", "—", "no", "—", "`[[store]]` tank farms"),
            f("duty", "array of tables", "—", "no", "—", "`[[duty]]` units in service and spares"),
            f("route", "array of tables", "—", "no", "—", "`[[route]]` named chains"),
            f("nomination", "array of tables", "—", "no", "—", "`[[nomination]]` each field's normal use of each route"),
            f("expansion", "array of tables", "—", "no", "—", "`[[expansion]]` planned capacity changes"),
            f("vintage", "array of tables", "—", "no", "—", "`[[vintage]]` dated earlier states of assets (network vintage)"),
            f("depends_on", "array of tables", "—", "no", "—", "`[[depends_on]]` interdependencies"),
        ],
    },
    Component {
        heading: "[crude]",
        fields: &[
            f("bbl_per_t", "figure", "`bbl/t`", "yes", "—", "barrels per tonne, used for `kb/d`, `kbbl`, `$/bbl`"),
            f("t_per_m3", "figure", "`t/m3`", "yes", "—", "density, used for `m3`"),
        ],
    },
    Component {
        heading: "[traffic]",
        fields: &[
            f("peak_to_mean", "figure", "`ratio`", "yes", "—", "busy-hour traffic over the day's mean, 1–2; the day follows a cosine peaking at 21:00 with this ratio, and what the links cannot carry in the busy hours is lost"),
            f("route_factor", "figure", "`ratio`", "no", "1", "real fibre route over the drawn path (links' `via` and exits' `via`), 1–3: a path of L km has a round-trip time of L × this × 0.01 ms/km (light in fibre ≈ 200 km/ms, there and back)"),
            f("mobile_share", "figure", "fraction", "no", "—", "share of international traffic on mobile networks, 0–1; needed by `shutdown` events with `networks = \"mobile\"`"),
            f("destination", "array of tables", "—", "no", "—", "`[[traffic.destination]]`: where the traffic is bound; without any, one undifferentiated destination"),
        ],
    },
    Component {
        heading: "[[traffic.destination]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name, e.g. `europe`; `shutdown` events name it in `destination`"),
            f("name", "string", "—", "no", "id", "display name, e.g. `Europe (Frankfurt)`"),
            f("lon", "float", "degrees east", "yes", "—", "the reference point whose round-trip time stands for the group"),
            f("lat", "float", "degrees north", "yes", "—", "latitude of the reference point"),
            f("location_source", "string", "—", "no", "—", "where the point comes from"),
            f("share", "figure", "fraction", "yes", "—", "share of international traffic bound here; the groups' shares sum to 100%"),
            f("exits", "array of tables", "—", "yes", "—", "one `{ sink, via }` per data sink: the onward path from that sink (a node with `sink = true`) through the `[lon, lat]` waypoints `via` to the reference point. Every sink must be listed: traffic that leaves by any sink reaches every group"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "exit",
        fields: &[
            f("sink", "node id", "—", "yes", "—", "a data sink"),
            f("via", "array of [lon, lat]", "degrees", "no", "—", "waypoints of the onward path, in order from the sink to the reference point"),
        ],
    },
    Component {
        heading: "[[node]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name used everywhere, e.g. `cpc-spm-1`"),
            f("name", "string", "—", "no", "id", "display name"),
            f("kind", "string", "—", "yes", "—", "oil: `field`, `pump_station`, `junction`, `terminal`, `port`, `spm`, `market`; data: `landing`, `city`, `border_crossing`, `ixp`"),
            f("lon", "float", "degrees east", "yes", "—", "longitude, −180…180"),
            f("lat", "float", "degrees north", "yes", "—", "latitude, −90…90"),
            f("location_source", "string", "—", "no", "—", "where the coordinates come from"),
            f("country", "string", "ISO 3166-1 alpha-2", "yes", "—", "country the node lies in"),
            f("operator", "string", "—", "no", "—", "operator or owners"),
            f("status", "string", "—", "no", "`operating`", "`operating`, `planned` (counts only with `--include-planned` or when a variant switches it on), `suspended` (there, but no Kazakh flows: no capacity until a `reactivate` event or a variant's `switch_on`) or `retired` (never carries flow)"),
            f("reactivation", "table", "days", "suspended assets only", "—", "how it returns to service: `lead` and `ramp` figures (see below)"),
            f("capacity", "capacity", "oil flow or data rate", "no", "—", "throughput limit of the node (pump station, berth, SPM, terminal); none means unlimited"),
            f("production", "figure", "oil flow", "fields only", "—", "field output"),
            f("restart", "table", "days", "no (fields only)", "none: output returns at once", "how output shut in because nothing could take it comes back: `lead` (restart lag, days) and `ramp` figures, as for `reactivation`"),
            f("demand", "figure", "data rate", "data nodes only", "—", "international traffic originating here"),
            f("sink", "bool", "—", "no", "`true` for markets", "an export destination (market, international exchange point)"),
            f("reached_from", "array of node ids", "—", "no", "—", "nodes from which this sink is reached with no modelled asset (ocean tankers from an SPM)"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[link]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name"),
            f("name", "string", "—", "no", "id", "display name"),
            f("kind", "string", "—", "yes", "—", "`pipeline`, `tanker_leg`, `rail` (oil); `terrestrial_fibre`, `subsea_fibre` (data)"),
            f("from", "node id", "—", "yes", "—", "start node; the flow direction"),
            f("to", "node id", "—", "yes", "—", "end node"),
            f("via", "array of `[lon, lat]`", "degrees", "no", "—", "waypoints between `from` and `to`, following the real corridor"),
            f("countries", "array of strings", "ISO codes", "yes", "—", "countries crossed, in order"),
            f("length", "figure", "length", "no", "—", "sourced length; shown beside the length computed from the geometry (haversine). A difference above 25% raises `length_mismatch`"),
            f("capacity", "capacity", "oil flow or data rate", "yes, except tanker legs", "—", "throughput limit"),
            f("fleet", "table", "—", "tanker legs only", "—", "the fleet whose cycle gives the leg's capacity"),
            f("tariff", "figure", "tariff", "no", "—", "tariff for Kazakh crude"),
            f("status", "string", "—", "no", "`operating`", "`operating`, `planned`, `suspended` or `retired`, as for nodes"),
            f("reactivation", "table", "days", "suspended assets only", "—", "how it returns to service: `lead` and `ramp` figures (see below)"),
            f("operator", "string", "—", "no", "—", "operator"),
            f("map_label", "string", "—", "no", "—", "short name drawn beside the link on maps (e.g. `CPC`); links without one are drawn unnamed"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "fleet",
        fields: &[
            f("vessels", "figure", "count", "yes", "—", "vessels assigned to the leg"),
            f("deadweight", "figure", "deadweight", "yes", "—", "deadweight per vessel, taken as its cargo"),
            f("speed", "figure", "speed", "yes", "—", "service speed"),
            f("loading", "figure", "duration", "yes", "—", "time alongside to load, including waiting"),
            f("discharge", "figure", "duration", "yes", "—", "time alongside to discharge, including waiting"),
            f("availability", "figure", "share", "yes", "—", "fraction of the year the fleet can sail (dry-docking, storms, ice)"),
            f("reserved", "table", "share", "no", "—", "part of the fleet's capacity held by other cargo"),
            f("allocation", "figure", "oil flow", "no", "—", "cap on Kazakh volumes on the leg"),
        ],
    },
    Component {
        heading: "reactivation",
        fields: &[
            f("lead", "figure", "duration", "yes", "—", "days from the decision to reactivate to the first flow (inspection, line fill, contracts)"),
            f("ramp", "figure", "duration", "yes", "—", "days over which capacity then rises linearly to full"),
        ],
    },
    Component {
        heading: "[[store]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name"),
            f("node", "node id", "—", "yes", "—", "where the tank farm is"),
            f("capacity", "figure", "stock", "yes", "—", "working capacity"),
            f("initial", "figure", "stock", "yes", "—", "level at the start of a run, 0 ≤ initial ≤ capacity; also the working level, which stock drains down to after an outage and refills up to after a bridge"),
            f("minimum", "figure", "stock", "no", "0", "tank bottoms: stock bridging a shortfall is never drawn below it, 0 ≤ minimum ≤ initial"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[duty]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name"),
            f("units", "array of node ids", "—", "yes", "—", "interchangeable nodes with a capacity (e.g. moorings), in order of preference; each in one group"),
            f("in_service", "figure", "count", "yes", "—", "how many run at once, 1 ≤ n ≤ units; the others are spares"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[route]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name used in every report, e.g. `cpc`"),
            f("name", "string", "—", "no", "id", "display name"),
            f("stages", "array", "—", "yes", "—", r#"e.g. `["a", ["b1", "b2"], "c"]`"#),
            f("length", "figure", "length", "no", "—", "sourced length of the whole route"),
            f("headroom", "table", "days", "no", "none", "emergency headroom when another route is disrupted: `lead` and `ramp` figures, as for a reactivation"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[nomination]]",
        fields: &[
            f("field", "node id", "—", "yes", "—", "a node with a `production`"),
            f("route", "route id", "—", "yes", "—", "an oil route reachable from the field over oil links"),
            f("volume", "figure", "oil flow", "yes", "—", "what the field's shippers send on the route in normal operation, ≥ 0; one per field and route"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[expansion]]",
        fields: &[
            f("id", "string", "—", "yes", "—", "stable name"),
            f("name", "string", "—", "no", "id", "display name"),
            f("target", "asset id", "—", "yes", "—", "a capacitated node or a non-tanker link"),
            f("capacity", "figure", "oil flow or data rate", "yes", "—", "new nominal capacity"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[vintage]]",
        fields: &[
            f("asset", "asset id", "—", "yes", "—", "the node or link (not a tanker leg for capacity or allocation)"),
            f("until", "date", "—", "yes", "—", "last day (inclusive) on which this state held"),
            f("capacity", "figure", "oil flow or data rate", "one of `capacity`/`allocation`/`status`", "today's", "nominal capacity until then"),
            f("allocation", "figure", "oil flow or data rate", "one of `capacity`/`allocation`/`status`", "today's", "Kazakh allocation until then"),
            f("status", "string", "—", "one of `capacity`/`allocation`/`status`", "today's", "`operating`, `planned` (not yet built), `suspended` or `retired` until then"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation for the date and the state"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why this date or state"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[depends_on]]",
        fields: &[
            f("dependent", "asset id", "—", "yes", "—", "e.g. a pump station whose control runs over fibre"),
            f("on", "asset id", "—", "yes", "—", "e.g. the fibre link or a power plant"),
            f("grace_days", "integer", "days", "yes", "—", "days the dependent rides through (backup power, manual control)"),
            f("fraction", "float", "share", "yes", "—", "the dependent's capacity once the grace is over"),
            f("down_below", "float", "share", "no", "0.5", "`on` counts as down below this fraction"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
];

/// The field tables of `docs/scenario-format.md`, in document order.
#[rustfmt::skip]
pub const SCENARIO: &[Component] = &[
    Component {
        heading: "Top level",
        fields: &[
            f("format", "integer", "—", "yes", "—", "scenario format version; this build reads `1`"),
            f("name", "string", "—", "yes", "—", "title used in reports"),
            f("description", "string", "—", "yes", "—", "what the scenario asks, and where its assumptions come from"),
            f("network", "string", "—", "no", "`embedded`", "`embedded` (the dataset built into the binary) or a routes directory, relative to the scenario file"),
            f("start", "date", "—", "yes", "—", "first simulated day"),
            f("horizon_days", "integer", "days", "yes", "—", "number of days simulated (1…36,500)"),
            f("variant", "table", "—", "no", "—", "planned assets switched on and capacity changes"),
            f("economics", "table", "—", "yes", "—", "prices and transport-cost rates"),
            f("production", "table", "—", "no", "—", "exportable crude per field; fields not listed produce their network `production`"),
            f("demand", "table", "—", "no", "—", "international data demand per data node; nodes not listed use their network `demand`"),
            f("stock", "table", "stock", "no", "—", "starting level per tank farm id, a figure within minimum…capacity (e.g. tanks full before a storm); working levels stay the network's `initial`"),
            f("event", "array of tables", "—", "no", "—", "`[[event]]` dated disruptions"),
            f("depends_on", "array of tables", "—", "no", "—", "`[[depends_on]]` interdependencies"),
            f("monte_carlo", "table", "—", "for Monte Carlo", "—", "replicate count and master seed; makes the file a Monte Carlo scenario"),
            f("dispatch", "string", "—", "no", "`nominated`", "`nominated` (crude follows the network's `[[nomination]]`s; see What a run computes) or `least_cost` (all capacity at least cost: what the infrastructure could do)"),
            f("failure", "array of tables", "—", "no", "—", "`[[failure]]` random failure processes"),
            f("common_cause", "array of tables", "—", "no", "—", "`[[common_cause]]` draws that hit several assets together"),
            f("weather_window", "array of tables", "—", "no", "—", "`[[weather_window]]` seasonal windows with a probability"),
            f("nomination", "array of tables", "—", "no", "the network's", "`[[nomination]]` volumes that replace the network's for each field named (e.g. a past year's)"),
            f("reported", "array of tables", "—", "no", "—", "`[[reported]]` reported figures the run must reproduce (`corridor hindcast`)"),
            f("repair_crews", "array of tables", "—", "no", "—", "`[[repair_crews]]` limited crews or ships per asset class"),
        ],
    },
    Component {
        heading: "[variant]",
        fields: &[
            f("switch_on", "array of ids", "—", "no", "—", "planned nodes or links to put in service, or `[[expansion]]` ids to apply"),
            f("set", "array of tables", "—", "no", "—", "capacity changes, each a `set` entry (below)"),
        ],
    },
    Component {
        heading: "set",
        fields: &[
            f("asset", "asset id", "—", "yes", "—", "the node or link to change"),
            f("capacity", "figure", "oil flow or data rate", "no", "—", "new nominal capacity"),
            f("allocation", "figure", "oil flow or data rate", "no", "—", "new Kazakh allocation (e.g. BTC 1.5 → 6 Mt/yr)"),
            f("scale", "float", "—", "no", "—", "multiplier on the nominal capacity"),
            f("tariff", "figure", "tariff", "no", "—", "new tariff for Kazakh crude (links only)"),
        ],
    },
    Component {
        heading: "[economics]",
        fields: &[
            f("oil_price", "figure", "`$/bbl`", "yes", "—", "values lost exports: lost t × bbl/t × price"),
            f("bbl_per_t", "figure", "`bbl/t`", "no", "the network's", "barrels per tonne for valuing losses"),
            f("data_value", r#"method, figure or `"unset"`"#, "`$/Tb` (figure)", "yes", "—", r#"value of lost data traffic (physical losses and shutdowns, reported apart): `{ method = "gdp_share", gdp = { value, unit = "$bn/yr" or "$/yr" }, digital_share = { value, unit = "%" or "fraction" } }` values an hour of full national outage at GDP × share / 8,760 h and a partial loss pro rata to the share of traffic lost (Brookings, West 2016; the NetBlocks Cost of Shutdown Tool's basis); a `$/Tb` figure values each terabit not carried; `"unset"` leaves data unvalued"#),
            f("transport_cost", "table", "—", "yes", "—", "rates used for links without a tariff (below)"),
            f("state_take", "table", "—", "no", "none: no budget figure", "the state's take per tonne exported, for the budget cost of lost exports (below)"),
        ],
    },
    Component {
        heading: "state_take",
        fields: &[
            f("export_duty", "figure", "`$/t` or `$/bbl`", "yes", "—", "export customs duty on crude, ≥ 0"),
            f("extraction_tax", "figure", "`%` or `fraction`", "yes", "—", "mineral-extraction tax as a share of the crude's value at `oil_price`, 0–100%"),
            f("exempt", "array of field ids", "—", "no", "none", "fields whose take is set by their own agreements (production-sharing agreements): no duty or tax counted"),
        ],
    },
    Component {
        heading: "transport_cost",
        fields: &[
            f("pipeline", "figure", "`$/t/100km`", "yes", "—", "pipelines without a tariff"),
            f("rail", "figure", "`$/t/100km`", "yes", "—", "rail links"),
            f("tanker", "figure", "`$/t/100km`", "yes", "—", "tanker legs"),
        ],
    },
    Component {
        heading: "production",
        fields: &[
            f("value", "float", "`unit`", "one of `value`/`series`", "—", "constant output"),
            f("series", "path", "—", "one of `value`/`series`", "—", "CSV with columns `date,value` (values in `unit`); each value holds until the next date"),
            f("unit", "string", "oil flow", "yes", "—", "e.g. `Mt/yr`, `kb/d`"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why this value"),
        ],
    },
    Component {
        heading: "[[event]]",
        fields: &[
            f("kind", "string", "—", "yes", "—", "`outage`, `derate`, `uprate`, `hazard`, `transit_cut`, `weather`, `replay`, `production`, `reactivate`, `off_spec`, `shutdown`"),
            f("name", "string", "—", "no", "—", "label in reports"),
            f("start", "date", "—", "all but `replay`", "—", "first day affected; for `reactivate`, the day shippers decide to use the asset again"),
            f("end", "date", "—", "one of `end`/`duration_days`", "—", "last day affected"),
            f("duration_days", "integer", "days", "one of `end`/`duration_days`", "—", "days affected"),
            f("recovery_days", "integer", "days", "no", "0", "linear ramp back to full after `end`: on day `end + k` the fraction is `f + (1 − f) k / N`"),
            f("assets", "array of ids", "—", "outage, derate, uprate, weather, reactivate, off_spec (or `routes`)", "—", "nodes or links hit (reactivate: the suspended assets; off_spec: the contaminated line; shutdown: the cities whose traffic is cut, none for the whole country)"),
            f("routes", "array of ids", "—", "no", "—", "every link of these routes is hit"),
            f("fraction", "float", "share of capacity", "derate, uprate, production, shutdown", "—", "capacity (or output, or for a shutdown the traffic allowed) left: 0 = out, 1 = intact. Default 0 for hazard, transit_cut and weather; outage is always 0. Production may exceed 1 (ramp-up); an uprate multiplies capacity by 1 < fraction ≤ 10"),
            f("circle", "table", "—", "hazard: one of `circle`/`polygon`", "—", "`{ lon, lat, radius_km }` (degrees, km)"),
            f("polygon", "array of `[lon, lat]`", "degrees", "hazard: one of `circle`/`polygon`", "—", "exterior ring"),
            f("edge_fraction", "float", "share", "no", "`fraction`", "hazard circle: fraction at the rim; it varies linearly with distance from `fraction` at the centre"),
            f("country", "string", "ISO code", "transit_cut", "—", "every link crossing this country is hit"),
            f("layer", "string", "—", "no", "both", "transit_cut only for `oil` or `data`"),
            f("wave_height_m", "float", "m", "no", "—", "weather: SPMs stop only when waves exceed their 2.5 m mooring limit (S5); ports, terminals and tanker legs stop regardless"),
            f("file", "path", "—", "replay", "—", "CSV with columns `asset,start,end,fraction[,note]`, one row per asset outage, relative to the scenario file"),
            f("field", "node id", "—", "production", "—", "the field whose output changes"),
            f("destination", "destination id", "—", "no", "all", "shutdown: the one destination group it covers (`[[traffic.destination]]`), e.g. traffic to Europe blocked"),
            f("networks", "string", "—", "no", "`all`", "shutdown: `all` or `mobile` (only the network's `mobile_share` of traffic is cut to `fraction`)"),
            f("handling", "string", "—", "off_spec", "—", "`stop` (the assets carry nothing: lost exports) or `discount` (flows continue and are sold at `discount`)"),
            f("discount", "figure", "tariff", "off_spec with `discount`", "—", "price cut on the off-spec crude (`$/bbl` or `$/t`)"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "where the event assumption comes from"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why these dates and fractions"),
        ],
    },
    Component {
        heading: "[[nomination]]",
        fields: &[
            f("field", "node id", "—", "yes", "—", "a field with production"),
            f("route", "route id", "—", "yes", "—", "an oil route the field reaches by pipeline or rail"),
            f("volume", "figure", "oil flow", "yes", "—", "what the field's shippers send on the route, ≥ 0; one per field and route"),
            f("note", "string", "—", "no", "—", "free text"),
        ],
    },
    Component {
        heading: "[[reported]]",
        fields: &[
            f("name", "string", "—", "yes", "—", "label, e.g. `CPC Kazakh loadings, Sep 2022`"),
            f("quantity", "string", "—", "yes", "—", "`exports`, `lost_exports` (Mt over the window), `share` (of the named routes in all exports), `russia_share` (exports touching Russia), `data_shutdown_hours` (shutdowns as hours of full national outage) or `data_loss_value` (lost data traffic valued at `data_value`, US$ m)"),
            f("routes", "array of route ids", "—", "for `share`", "all exports", "oil routes summed; none for `russia_share`"),
            f("from", "date", "—", "no", "the start", "first day of the window"),
            f("to", "date", "—", "no", "the last day", "last day of the window (inclusive)"),
            f("value", "figure", "`Mt`, `kt`; `fraction`, `%`; `hours`, `days`; `$m`, `$bn`", "yes", "—", "the reported value with its `source` (or `estimate`)"),
            f("tolerance", "float", "share", "no", "none (shown, not tested)", "pass band: ±fraction of the value for Mt, hours and money, ± share points for shares (0.03 = 3 points)"),
        ],
    },
    Component {
        heading: "[[depends_on]]",
        fields: &[
            f("dependent", "asset id", "—", "yes", "—", "e.g. a pump station or terminal"),
            f("on", "asset id", "—", "yes", "—", "e.g. a fibre link or a power supply"),
            f("grace_days", "integer", "days", "yes", "—", "days the dependent rides through"),
            f("fraction", "float", "share", "yes", "—", "the dependent's capacity once the grace is over"),
            f("down_below", "float", "share", "no", "0.5", "`on` counts as down below this fraction"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "[monte_carlo]",
        fields: &[
            f("runs", "integer", "replicate-years", "yes", "—", "number of replicates (`--runs` overrides)"),
            f("seed", "integer", "—", "yes", "—", "master seed (≥ 0)"),
        ],
    },
    Component {
        heading: "[[failure]]",
        fields: &[
            f("name", "string", "—", "no", "—", "label"),
            f("class", "string", "—", "one of `class`/`assets`", "—", "every operating asset of the class"),
            f("assets", "array of ids", "—", "one of `class`/`assets`", "—", "named assets"),
            f("rate", "figure", "`per_yr` or `per_1000km_yr`", "yes", "—", "failures per asset-year, or per 1,000 km·yr for linear assets (× the link's length)"),
            f("repair", "table", "—", "yes", "—", "repair-time distribution (below)"),
            f("fraction", "float", "share", "no", "0", "capacity left while failed"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "repair",
        fields: &[
            f("dist", "string", "—", "yes", "—", "`fixed`, `exponential`, `lognormal` or `empirical`"),
            f("days", "float", "days", "fixed", "—", "the repair time"),
            f("mean_days", "float", "days", "exponential, lognormal", "—", "mean"),
            f("sd_days", "float", "days", "lognormal", "—", "standard deviation"),
            f("values", "array of floats", "days", "empirical", "—", "observed durations, drawn with equal probability"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "season",
        fields: &[
            f("from", "string", "`MM-DD`", "yes", "—", "first day of the season"),
            f("to", "string", "`MM-DD`", "yes", "—", "last day (inclusive; may wrap the new year, e.g. `11-01` to `03-31`)"),
        ],
    },
    Component {
        heading: "[[common_cause]]",
        fields: &[
            f("name", "string", "—", "no", "—", "label"),
            f("class", "string", "—", "one of `class`/`assets`/`country`", "—", "members by class"),
            f("assets", "array of ids", "—", "one of `class`/`assets`/`country`", "—", "named members"),
            f("country", "string", "ISO code", "one of `class`/`assets`/`country`", "—", "every operating asset in or crossing the country"),
            f("rate", "figure", "`per_yr`", "yes", "—", "expected occurrences a year (all within the season, if given)"),
            f("season", "table", "—", "no", "—", "when occurrences fall"),
            f("duration", "table", "days", "yes", "—", "how long each member stays down (a repair distribution)"),
            f("fraction", "float", "share", "no", "0", "capacity left while down"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "[[weather_window]]",
        fields: &[
            f("name", "string", "—", "no", "—", "label"),
            f("class", "string", "—", "one of `class`/`assets`", "—", "assets by class"),
            f("assets", "array of ids", "—", "one of `class`/`assets`", "—", "named assets"),
            f("probability", "float", "share", "yes", "—", "chance the window happens in a given year"),
            f("season", "table", "—", "yes", "—", "the window"),
            f("fraction", "float", "share", "no", "0", "capacity left during the window"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "[[repair_crews]]",
        fields: &[
            f("class", "string", "—", "yes", "—", "the asset class"),
            f("crews", "integer", "—", "yes", "—", "crews (or cable ships) working in parallel; classes not listed never wait"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why"),
        ],
    },
    Component {
        heading: "variant file",
        fields: &[
            f("format", "integer", "—", "no", "—", "`1`"),
            f("name", "string", "—", "yes", "—", "label in reports"),
            f("description", "string", "—", "no", "—", "what the option is"),
            f("switch_on", "array of ids", "—", "no", "—", "planned assets or `[[expansion]]`s put in service"),
            f("set", "array of tables", "—", "no", "—", "capacity, allocation, scale or tariff changes (the `set` table above)"),
            f("excludes", "array of ids", "—", "no", "—", "options (file stems beside it) that cannot be combined with this one, e.g. another size of the same allocation: `corridor optimise` puts no two of them in one portfolio and `a+b` of them is refused; an id with no file there binds nothing (`optimise` warns)"),
            f("requires", "array of ids", "—", "no", "—", "options this one needs in the same portfolio, e.g. tankers that need new berths: `corridor optimise` adds them with it (and drops it with them; its marginal value then counts both), `compare` and `run --option` refuse it without them, and `optimise` refuses a catalogue that holds it without them"),
            f("lead_time", "figure, years", "—", "no", "0…50", "years from the decision to service, for `corridor optimise --stage` (which needs it of every option it stages); with its `source` or `estimate`"),
            f("size", "table", "—", "no", "—", "a sizing knob: the option comes in `levels` (the `size` table below); `corridor optimise` chooses among them (each level an option `id@level`, no two in one portfolio), and `compare`, `run --option` take `id@level` or the `default`"),
            f("cost", "table", "—", "yes", "—", "the option's annual cost (with `size`, the fixed part: `capex` may be left out, and `life` and `discount_rate` annualise `size.capex`)"),
        ],
    },
    Component {
        heading: "size",
        fields: &[
            f("asset", "id", "—", "yes", "—", "the asset the knob sizes"),
            f("field", "string", "—", "yes", "—", "`vessels` (a tanker leg's fleet; its capacity follows from the fleet), `capacity` or `allocation`"),
            f("levels", "array of numbers", "`unit`", "yes", "above 0, ascending", "the sizes to choose among; leaving the option out is the status quo"),
            f("unit", "string", "`count` for vessels; a flow unit", "yes", "—", "unit of the levels"),
            f("default", "number", "`unit`", "yes", "one of `levels`", "the level taken when the option is named without one"),
            f("source", "string", "—", "one of `source`/`estimate`", "—", "citation of the levels"),
            f("estimate", "string", "—", "one of `source`/`estimate`", "—", "why these levels"),
            f("capex", "figure", "`$m`", "no", "—", "investment per unit of size added over what the asset had in service (none when it was not in service); annualised with `cost.life` and `cost.discount_rate`"),
            f("opex", "figure", "`$m/yr`", "no", "—", "operating cost per unit of size added"),
            f("annual", "figure", "`$m/yr`", "no", "—", "annual cost per unit of size added"),
        ],
    },
    Component {
        heading: "cost",
        fields: &[
            f("capex", "figure", "`$m`", "with `life` and `discount_rate`", "—", "investment"),
            f("life", "figure", "`years`", "with `capex`", "—", "economic life"),
            f("discount_rate", "figure", "`fraction` or `%`", "with `capex`", "—", "real discount rate"),
            f("opex", "figure", "`$m/yr`", "no", "—", "operating cost"),
            f("annual", "figure", "`$m/yr`", "no", "—", "a cost already annual (e.g. extra tariff paid)"),
        ],
    },
];
