package platform

import (
	"encoding/json"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// SIP trunks (spec §6.1 operation list, SDK SipTrunk): list, create, get
// and delete; the operation list has no update. auth_password is
// write-only: answered as ********.

func sipTrunkKind() *kind {
	return &kind{path: "/sip-trunks", noun: "SIP trunk", one: "trunk", many: "trunks", prefix: "trunk_", view: sipTrunkView}
}

// sipTrunkIn is a SIP trunk's fields (SDK SipTrunkCreateParams).
type sipTrunkIn struct {
	Name             *string  `json:"name"`
	Provider         *string  `json:"provider"`
	InboundAddresses []string `json:"inbound_addresses"`
	OutboundAddress  *string  `json:"outbound_address"`
	OutboundNumber   *string  `json:"outbound_number"`
	AuthUsername     *string  `json:"auth_username"`
	AuthPassword     *string  `json:"auth_password"`
}

// hostName is a DNS name: dot-separated labels of letters, digits and -.
var hostName = regexp.MustCompile(`^(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?))*$`)

// validHost accepts an IP address, a CIDR range (when cidr) or a DNS name.
func validHost(s string, cidr bool) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	if cidr {
		if _, _, err := net.ParseCIDR(s); err == nil {
			return true
		}
	}
	return len(s) <= 253 && hostName.MatchString(s)
}

// validSIPAddress accepts host, host:port or a sip:/sips: URI of them.
func validSIPAddress(s string) bool {
	low := strings.ToLower(s)
	for _, scheme := range []string{"sips:", "sip:"} {
		if strings.HasPrefix(low, scheme) {
			s = s[len(scheme):]
			if _, host, ok := strings.Cut(s, "@"); ok {
				s = host
			}
			break
		}
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(port)
		return err == nil && n > 0 && n < 65536 && validHost(host, false)
	}
	return validHost(s, false)
}

func sipTrunkView(fields map[string]json.RawMessage) (map[string]any, *requestError) {
	var in sipTrunkIn
	if rerr := fieldsInto(fields, &in); rerr != nil {
		return nil, rerr
	}
	if rerr := in.check(); rerr != nil {
		return nil, rerr
	}
	v := map[string]any{"name": strings.TrimSpace(*in.Name)}
	optText(v, "provider", in.Provider)
	if in.InboundAddresses != nil {
		v["inbound_addresses"] = in.InboundAddresses
	}
	optText(v, "outbound_address", in.OutboundAddress)
	optText(v, "outbound_number", in.OutboundNumber)
	optText(v, "auth_username", in.AuthUsername)
	if in.AuthPassword != nil && *in.AuthPassword != "" {
		v["auth_password"] = maskedSecret
	}
	return v, nil
}

// check validates a SIP trunk's fields.
func (in *sipTrunkIn) check() *requestError {
	if rerr := requireName(in.Name, "name"); rerr != nil {
		return rerr
	}
	for _, a := range in.InboundAddresses {
		if !validHost(a, true) {
			return badRequest("inbound_addresses", "inbound_addresses: %q is not an IP address, CIDR range or host name such as 203.0.113.10 or sip.example.com", a)
		}
	}
	if in.OutboundAddress != nil && !validSIPAddress(*in.OutboundAddress) {
		return badRequest("outbound_address", "outbound_address %q is not a host, host:port or sip: URI such as sip.example.com:5060", *in.OutboundAddress)
	}
	if in.OutboundNumber != nil && !e164.MatchString(*in.OutboundNumber) {
		return badRequest("outbound_number", "outbound_number %q is not an E.164 number such as +31201234567", *in.OutboundNumber)
	}
	if in.AuthPassword != nil && *in.AuthPassword != "" && (in.AuthUsername == nil || *in.AuthUsername == "") {
		return missing("auth_username", "auth_password needs auth_username")
	}
	return nil
}
